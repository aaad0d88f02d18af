package nfcpay.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import nfcpay.card.subset.JavaCardSubsetChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The portability rules on the real card classes, each against a mutant that brings back what Oracle's
 * converter or reference VM refused (issue 12): the rule must see the mutant, and must stay silent on the
 * genuine classes (JavaCardSubsetTest) and on the control where the same code is legal.
 */
class PortabilityMutantsTest {

    private static Path classes;

    @BeforeAll
    static void findClasses() throws Exception {
        classes = Path.of(Wire.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void aStaticArrayInALibraryPackageFailsTheCheck() throws Exception {
        assertThat(violations(mutate("nfcpay/card/Wire", PortabilityMutantsTest::addStaticArray)))
            .anyMatch(v -> v.startsWith("nfcpay.card.Wire <clinit>(): static array initialization in library package nfcpay.card"));
        assertThat(violations(mutate("nfcpay/card/link/Link", PortabilityMutantsTest::addStaticArray)))
            .anyMatch(v -> v.contains("static array initialization in library package nfcpay.card.link"));
    }

    @Test
    void theSameStaticArrayInAnAppletPackageIsLegal() throws Exception {
        assertThat(violations(mutate("nfcpay/card/purse/PurseApplet", PortabilityMutantsTest::addStaticArray))).isEmpty();
    }

    @Test
    void anEngineUsedBehindTheAccountInformationInterfaceFailsTheCheck() throws Exception {
        // The purse's DES engines (PbocDes holds a Cipher and a Signature) read inside readAccountInfo.
        List<String> found = violations(mutate("nfcpay/card/purse/PurseApplet", c -> {
            MethodNode read = c.methods.stream().filter(m -> m.name.equals("readAccountInfo")).findFirst().orElseThrow();
            InsnList touch = new InsnList();
            touch.add(new org.objectweb.asm.tree.VarInsnNode(ALOAD, 0));
            touch.add(new FieldInsnNode(GETFIELD, c.name, "des", "Lnfcpay/card/purse/PbocDes;"));
            touch.add(new InsnNode(POP));
            read.instructions.insert(touch);
        }));
        assertThat(found).anyMatch(v -> v.startsWith("nfcpay.card.purse.PurseApplet readAccountInfo(")
                && v.contains("field des (a crypto engine) is used behind a Shareable interface method"));
    }

    @Test
    void thePlatformCmacRequestedWithoutAFallbackFailsTheCheck() throws Exception {
        List<String> found = violations(mutate("nfcpay/card/link/OneBlockCmac", c -> method(c, "<init>").tryCatchBlocks.clear()));
        assertThat(found).anyMatch(v -> v.startsWith("nfcpay.card.link.OneBlockCmac <init>(")
                && v.contains("requested without a CryptoException fallback"));
    }

    @Test
    void desEcbOrASecureRandomWithoutAFallbackFailsTheCheck() throws Exception {
        assertThat(violations(mutate("nfcpay/card/purse/PbocDes", c -> method(c, "<init>").tryCatchBlocks.clear())))
            .anyMatch(v -> v.startsWith("nfcpay.card.purse.PbocDes <init>(") && v.contains("optional algorithm 5"));
        assertThat(violations(mutate("nfcpay/card/link/CardRandom", c -> method(c, "best").tryCatchBlocks.clear())))
            .anyMatch(v -> v.startsWith("nfcpay.card.link.CardRandom best()") && v.contains("optional algorithm 2"));
    }

    private static void addStaticArray(ClassNode c) {
        c.fields.add(new org.objectweb.asm.tree.FieldNode(ACC_PUBLIC | ACC_STATIC | ACC_FINAL, "MUTANT", "[B", null, null));
        MethodNode clinit = new MethodNode(ACC_STATIC, "<clinit>", "()V", null, null);
        InsnList code = clinit.instructions;
        code.add(new InsnNode(ICONST_2));
        code.add(new IntInsnNode(NEWARRAY, T_BYTE));
        code.add(new FieldInsnNode(PUTSTATIC, c.name, "MUTANT", "[B"));
        code.add(new InsnNode(RETURN));
        c.methods.add(clinit);
    }

    private static MethodNode method(ClassNode c, String name) {
        return c.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    private static List<ClassNode> mutate(String name, Consumer<ClassNode> mutation) throws Exception {
        List<ClassNode> all = new ArrayList<>(JavaCardSubsetChecker.readClasses(classes));
        ClassNode target = all.stream().filter(c -> c.name.equals(name)).findFirst().orElseThrow();
        mutation.accept(target);
        return all;
    }

    private static List<String> violations(List<ClassNode> classes) {
        return new JavaCardSubsetChecker(PortabilityMutantsTest.class.getClassLoader()).check(classes).stream()
            .map(Object::toString).collect(Collectors.toList());
    }
}
