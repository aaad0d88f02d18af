package nfcpay.card.subset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;

/**
 * The checker on classes generated here with ASM, one per rule, so a checker that stops seeing a
 * violation fails this test rather than letting card code through. Frames are not computed: the
 * classes are only read, never loaded.
 */
class JavaCardSubsetCheckerTest {

    private static final String APPLET = "javacard/framework/Applet";
    private static final String APDU = "Ljavacard/framework/APDU;";
    private static final String PROCESS = "(" + APDU + ")V";
    private static final String TYPES = " (Java Card values are byte, short, boolean)";
    private static final String OUTSIDE = " allocates outside <init>, <clinit> and install";

    @Test
    void aCleanAppletPasses() {
        assertThat(violations(cleanApplet())).isEmpty();
    }

    @Test
    void anIntFieldIsAViolation() {
        ClassNode c = fixture("fixture/IntField", "java/lang/Object",
            cw -> cw.visitField(ACC_PRIVATE, "counter", "I", null, null).visitEnd());

        assertThat(violations(c)).containsExactly("fixture.IntField field counter: field type is int" + TYPES);
    }

    @Test
    void aStringConstantIsAViolation() {
        ClassNode c = fixture("fixture/StringLdc", "java/lang/Object", cw -> method(cw, ACC_PUBLIC, "label", "()V", mv -> {
            mv.visitLdcInsn("hello");
            mv.visitInsn(POP);
            mv.visitInsn(RETURN);
        }));

        assertThat(violations(c)).containsExactly("fixture.StringLdc label(): LDC String \"hello\"");
    }

    @Test
    void allocatingInProcessIsAViolationButNotInTheConstructorOrInstall() {
        Consumer<MethodVisitor> allocateEverything = mv -> {
            mv.visitIntInsn(BIPUSH, 8);
            mv.visitIntInsn(NEWARRAY, T_BYTE);
            mv.visitInsn(POP);
            mv.visitTypeInsn(NEW, "javacard/framework/OwnerPIN");
            mv.visitInsn(DUP);
            mv.visitInsn(ICONST_3);
            mv.visitIntInsn(BIPUSH, 8);
            mv.visitMethodInsn(INVOKESPECIAL, "javacard/framework/OwnerPIN", "<init>", "(BB)V", false);
            mv.visitInsn(POP);
            mv.visitIntInsn(BIPUSH, 8);
            mv.visitInsn(ICONST_1);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/framework/JCSystem", "makeTransientByteArray", "(SB)[B", false);
            mv.visitInsn(POP);
            mv.visitIntInsn(BIPUSH, 15);
            mv.visitIntInsn(SIPUSH, 128);
            mv.visitInsn(ICONST_0);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/security/KeyBuilder", "buildKey", "(BSZ)Ljavacard/security/Key;", false);
            mv.visitInsn(POP);
            mv.visitIntInsn(BIPUSH, 13);
            mv.visitInsn(ICONST_0);
            mv.visitMethodInsn(INVOKESTATIC, "javacardx/crypto/Cipher", "getInstance", "(BZ)Ljavacardx/crypto/Cipher;", false);
            mv.visitInsn(POP);
            mv.visitInsn(ICONST_3);
            mv.visitInsn(ICONST_0);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/security/RandomData", "getInstance", "(B)Ljavacard/security/RandomData;", false);
            mv.visitInsn(POP);
            mv.visitInsn(RETURN);
        };
        ClassNode c = fixture("fixture/Allocates", APPLET, cw -> {
            method(cw, ACC_PUBLIC, "process", PROCESS, allocateEverything);
            method(cw, ACC_PUBLIC | ACC_STATIC, "install", "([BSB)V", allocateEverything);
            method(cw, ACC_STATIC, "<clinit>", "()V", allocateEverything);
            method(cw, ACC_PUBLIC, "<init>", "(B)V", mv -> {
                mv.visitVarInsn(ALOAD, 0);
                mv.visitMethodInsn(INVOKESPECIAL, APPLET, "<init>", "()V", false);
                allocateEverything.accept(mv);
            });
            method(cw, ACC_PUBLIC, "install", "()V", allocateEverything); // not static: not the install
        });

        String[] allocations = {
            "NEWARRAY byte" + OUTSIDE,
            "NEW javacard.framework.OwnerPIN" + OUTSIDE,
            "call javacard.framework.JCSystem.makeTransientByteArray" + OUTSIDE,
            "call javacard.security.KeyBuilder.buildKey" + OUTSIDE,
            "call javacardx.crypto.Cipher.getInstance" + OUTSIDE,
            "call javacard.security.RandomData.getInstance" + OUTSIDE,
        };
        List<String> expected = new ArrayList<>();
        for (String a : allocations) {
            expected.add("fixture.Allocates process(APDU): " + a);
        }
        for (String a : allocations) {
            expected.add("fixture.Allocates install(): " + a);
        }
        assertThat(violations(c)).containsExactlyElementsOf(expected);
    }

    @Test
    void invokedynamicIsAViolation() {
        Handle metafactory = new Handle(H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory", "metafactory",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
                + "Ljava/lang/invoke/CallSite;", false);
        ClassNode c = fixture("fixture/Lambda", "java/lang/Object", cw -> method(cw, ACC_PUBLIC, "task", "()V", mv -> {
            mv.visitInvokeDynamicInsn("get", "()Ljavacard/framework/Shareable;", metafactory);
            mv.visitInsn(POP);
            mv.visitInsn(RETURN);
        }));

        assertThat(violations(c)).containsExactly(
            "fixture.Lambda task(): INVOKEDYNAMIC (lambda, method reference or string concatenation)");
    }

    @Test
    void longArithmeticIsAViolation() {
        ClassNode c = fixture("fixture/LongMath", "java/lang/Object", cw -> method(cw, ACC_PUBLIC, "sum", "()S", mv -> {
            mv.visitInsn(ICONST_1);
            mv.visitInsn(I2L);
            mv.visitInsn(LCONST_1);
            mv.visitInsn(LADD);
            mv.visitInsn(L2I);
            mv.visitInsn(I2S);
            mv.visitInsn(IRETURN);
        }));

        assertThat(violations(c)).containsExactly(
            "fixture.LongMath sum(): I2L (long/float/double/char arithmetic)",
            "fixture.LongMath sum(): LCONST_1 (long/float/double/char arithmetic)",
            "fixture.LongMath sum(): LADD (long/float/double/char arithmetic)",
            "fixture.LongMath sum(): L2I (long/float/double/char arithmetic)");
    }

    @Test
    void constantsACardCannotHoldAreViolations() {
        ClassNode c = fixture("fixture/Constants", "java/lang/Object", cw -> method(cw, ACC_PUBLIC, "load", "()V", mv -> {
            mv.visitLdcInsn(Type.getObjectType("fixture/Constants"));
            mv.visitInsn(POP);
            mv.visitLdcInsn(5L);
            mv.visitInsn(POP2);
            mv.visitLdcInsn(1.5f);
            mv.visitInsn(POP);
            mv.visitLdcInsn(70000);
            mv.visitInsn(POP);
            mv.visitLdcInsn(-32768); // a short: fine
            mv.visitInsn(POP);
            mv.visitInsn(RETURN);
        }));

        assertThat(violations(c)).containsExactly(
            "fixture.Constants load(): LDC class constant fixture.Constants",
            "fixture.Constants load(): LDC long 5",
            "fixture.Constants load(): LDC float 1.5",
            "fixture.Constants load(): LDC int 70000 outside the short range (needs int support)");
    }

    @Test
    void intParametersReturnsAndLocalsAreViolations() {
        ClassNode c = fixture("fixture/IntSignatures", "java/lang/Object", cw -> {
            method(cw, ACC_PUBLIC | ACC_STATIC, "widen", "(IS)J", mv -> {
                mv.visitInsn(LCONST_0);
                mv.visitInsn(LRETURN);
            });
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "count", "(S)V", null, null);
            mv.visitCode();
            Label start = new Label();
            Label end = new Label();
            mv.visitLabel(start);
            mv.visitLineNumber(42, start);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, 1);
            mv.visitInsn(RETURN);
            mv.visitLabel(end);
            mv.visitLocalVariable("n", "S", null, start, end, 0);
            mv.visitLocalVariable("i", "I", null, start, end, 1);
            mv.visitLocalVariable("table", "[C", null, start, end, 2);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });

        assertThat(violations(c)).containsExactly(
            "fixture.IntSignatures widen(int, short): parameter 1 is int" + TYPES,
            "fixture.IntSignatures widen(int, short): return type is long" + TYPES,
            "fixture.IntSignatures widen(int, short): LCONST_0 (long/float/double/char arithmetic)",
            "fixture.IntSignatures widen(int, short): LRETURN (long/float/double/char arithmetic)",
            "fixture.IntSignatures count(short): local variable 'i' is int" + TYPES,
            "fixture.IntSignatures count(short): local variable 'table' is char[]" + TYPES);
    }

    @Test
    void jdkTypesAreViolationsExceptTheJavaCardExceptionSubset() {
        ClassNode c = fixture("fixture/Jdk", "java/lang/Object", cw -> {
            cw.visitField(ACC_PRIVATE, "items", "Ljava/util/Vector;", null, null).visitEnd();
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "text", "()Ljava/lang/Object;", null, null);
            mv.visitCode();
            Label start = new Label();
            Label end = new Label();
            Label arithmetic = new Label();
            Label error = new Label();
            mv.visitTryCatchBlock(start, end, arithmetic, "java/lang/ArithmeticException");
            mv.visitTryCatchBlock(start, end, error, "java/lang/Error");
            mv.visitLabel(start);
            mv.visitInsn(ICONST_1);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
            mv.visitTypeInsn(CHECKCAST, "java/lang/String");
            mv.visitLabel(end);
            mv.visitInsn(ARETURN);
            mv.visitLabel(arithmetic);
            mv.visitLabel(error);
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });

        assertThat(violations(c)).containsExactly(
            "fixture.Jdk field items: field type references java.util.Vector (not in the Java Card API)",
            "fixture.Jdk text(): catch type references java.lang.Error (not in the Java Card API)",
            "fixture.Jdk text(): call java.lang.Integer.valueOf references java.lang.Integer (not in the Java Card API)",
            "fixture.Jdk text(): call java.lang.Integer.valueOf parameter 1 is int" + TYPES,
            "fixture.Jdk text(): call java.lang.Integer.valueOf return type references java.lang.Integer (not in the Java Card API)",
            "fixture.Jdk text(): CHECKCAST references java.lang.String (not in the Java Card API)");
    }

    @Test
    void newOfAnExceptionIsAViolationEvenInTheConstructor() {
        ClassNode own = fixture("fixture/OwnException", "javacard/framework/CardRuntimeException", cw -> { });
        ClassNode c = fixture("fixture/Throws", APPLET, cw -> {
            method(cw, ACC_PUBLIC, "<init>", "(B)V", mv -> {
                mv.visitTypeInsn(NEW, "javacard/framework/ISOException");
                mv.visitInsn(DUP);
                mv.visitIntInsn(SIPUSH, 0x6700);
                mv.visitMethodInsn(INVOKESPECIAL, "javacard/framework/ISOException", "<init>", "(S)V", false);
                mv.visitInsn(ATHROW);
            });
            method(cw, ACC_PUBLIC, "process", PROCESS, mv -> {
                mv.visitTypeInsn(NEW, "fixture/OwnException");
                mv.visitInsn(ATHROW);
            });
        });

        List<String> found = violations(own, c);
        assertThat(found).containsExactly(
            "fixture.Throws <init>(byte): NEW javacard.framework.ISOException: throw the preallocated one via XxxException.throwIt",
            "fixture.Throws process(APDU): NEW fixture.OwnException: throw the preallocated one via XxxException.throwIt",
            "fixture.Throws process(APDU): NEW fixture.OwnException" + OUTSIDE);
    }

    @Test
    void monitorsSynchronizedMethodsAndMultiDimensionalArraysAreViolations() {
        ClassNode c = fixture("fixture/Threads", "java/lang/Object", cw -> {
            method(cw, ACC_PUBLIC | ACC_SYNCHRONIZED, "locked", "()V", mv -> {
                mv.visitVarInsn(ALOAD, 0);
                mv.visitInsn(MONITORENTER);
                mv.visitVarInsn(ALOAD, 0);
                mv.visitInsn(MONITOREXIT);
                mv.visitInsn(RETURN);
            });
            method(cw, ACC_STATIC, "<clinit>", "()V", mv -> {
                mv.visitInsn(ICONST_2);
                mv.visitInsn(ICONST_2);
                mv.visitMultiANewArrayInsn("[[B", 2);
                mv.visitInsn(POP);
                mv.visitInsn(RETURN);
            });
        });

        assertThat(violations(c)).containsExactly(
            "fixture.Threads locked(): synchronized method (Java Card has no threads or monitors)",
            "fixture.Threads locked(): MONITORENTER (synchronized block)",
            "fixture.Threads locked(): MONITOREXIT (synchronized block)",
            "fixture.Threads <clinit>(): MULTIANEWARRAY byte[][] (Java Card arrays are one-dimensional)",
            "fixture.Threads <clinit>(): static array initialization in library package fixture"
                + " (Oracle's converter refuses it: write the bytes with code, or keep the array in an applet package)");
    }

    @Test
    void aHelperOnlyTheConstructorCallsMayAllocateButNotOneProcessCallsToo() {
        Consumer<MethodVisitor> allocate = mv -> {
            mv.visitIntInsn(BIPUSH, 8);
            mv.visitIntInsn(NEWARRAY, T_BYTE);
            mv.visitInsn(POP);
            mv.visitInsn(RETURN);
        };
        Consumer<MethodVisitor> callBoth = mv -> {
            mv.visitMethodInsn(INVOKESTATIC, "fixture/Helpers", "once", "()V", false);
            mv.visitMethodInsn(INVOKESTATIC, "fixture/Helpers", "twice", "()V", false);
            mv.visitInsn(RETURN);
        };
        ClassNode c = fixture("fixture/Helpers", APPLET, cw -> {
            method(cw, ACC_PRIVATE | ACC_STATIC, "once", "()V", allocate);
            method(cw, ACC_PRIVATE | ACC_STATIC, "twice", "()V", allocate);
            method(cw, ACC_PUBLIC, "<init>", "()V", callBoth);
            method(cw, ACC_PUBLIC, "process", PROCESS, mv -> {
                mv.visitMethodInsn(INVOKESTATIC, "fixture/Helpers", "twice", "()V", false);
                mv.visitInsn(RETURN);
            });
        });

        assertThat(violations(c)).containsExactly("fixture.Helpers twice(): NEWARRAY byte" + OUTSIDE);
    }

    @Test
    void lineNumbersNameTheSourceLine() {
        ClassNode c = fixture("fixture/Lines", "java/lang/Object", cw -> method(cw, ACC_PUBLIC, "f", "()V", mv -> {
            Label here = new Label();
            mv.visitLabel(here);
            mv.visitLineNumber(17, here);
            mv.visitLdcInsn("x");
            mv.visitInsn(POP);
            mv.visitInsn(RETURN);
        }));

        assertThat(violations(c)).containsExactly("fixture.Lines f() line 17: LDC String \"x\"");
    }

    @Test
    void readsEveryClassFileBelowADirectory(@TempDir Path dir) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("fixture/deep"));
        Files.write(pkg.resolve("Bad.class"), bytes("fixture/deep/Bad", "java/lang/Object",
            cw -> cw.visitField(0, "total", "J", null, null).visitEnd()));
        Files.write(dir.resolve("fixture/Clean.class"), cleanAppletBytes());
        Files.writeString(dir.resolve("fixture/notes.txt"), "not a class");

        List<ClassNode> classes = JavaCardSubsetChecker.readClasses(dir);

        assertThat(classes).extracting(n -> n.name).containsExactly("fixture/Clean", "fixture/deep/Bad");
        assertThat(check(classes)).containsExactly("fixture.deep.Bad field total: field type is long" + TYPES);
    }

    // ---- fixtures ----

    /** An applet as card code should look: allocation in the constructor and install only, shorts, throwIt. */
    private static ClassNode cleanApplet() {
        return JavaCardSubsetChecker.parse(cleanAppletBytes());
    }

    private static byte[] cleanAppletBytes() {
        String name = "fixture/Clean";
        return bytes(name, APPLET, cw -> {
            cw.visitField(ACC_PRIVATE | ACC_FINAL, "scratch", "[B", null, null).visitEnd();
            cw.visitField(ACC_PRIVATE | ACC_FINAL, "pin", "Ljavacard/framework/OwnerPIN;", null, null).visitEnd();
            cw.visitField(ACC_PRIVATE | ACC_FINAL, "cipher", "Ljavacardx/crypto/Cipher;", null, null).visitEnd();
            cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "TAGS", "[B", null, null).visitEnd();
            method(cw, ACC_STATIC, "<clinit>", "()V", mv -> {
                mv.visitInsn(ICONST_2);
                mv.visitIntInsn(NEWARRAY, T_BYTE);
                mv.visitFieldInsn(PUTSTATIC, name, "TAGS", "[B");
                mv.visitInsn(RETURN);
            });
            method(cw, ACC_PRIVATE, "<init>", "()V", mv -> {
                mv.visitVarInsn(ALOAD, 0);
                mv.visitMethodInsn(INVOKESPECIAL, APPLET, "<init>", "()V", false);
                mv.visitVarInsn(ALOAD, 0);
                mv.visitIntInsn(BIPUSH, 32);
                mv.visitInsn(ICONST_2);
                mv.visitMethodInsn(INVOKESTATIC, "javacard/framework/JCSystem", "makeTransientByteArray", "(SB)[B", false);
                mv.visitFieldInsn(PUTFIELD, name, "scratch", "[B");
                mv.visitVarInsn(ALOAD, 0);
                mv.visitTypeInsn(NEW, "javacard/framework/OwnerPIN");
                mv.visitInsn(DUP);
                mv.visitInsn(ICONST_3);
                mv.visitIntInsn(BIPUSH, 8);
                mv.visitMethodInsn(INVOKESPECIAL, "javacard/framework/OwnerPIN", "<init>", "(BB)V", false);
                mv.visitFieldInsn(PUTFIELD, name, "pin", "Ljavacard/framework/OwnerPIN;");
                mv.visitVarInsn(ALOAD, 0);
                mv.visitIntInsn(BIPUSH, 13);
                mv.visitInsn(ICONST_0);
                mv.visitMethodInsn(INVOKESTATIC, "javacardx/crypto/Cipher", "getInstance", "(BZ)Ljavacardx/crypto/Cipher;", false);
                mv.visitFieldInsn(PUTFIELD, name, "cipher", "Ljavacardx/crypto/Cipher;");
                mv.visitInsn(RETURN);
            });
            MethodVisitor install = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "install", "([BSB)V", null, null);
            install.visitCode();
            Label installStart = new Label();
            Label installEnd = new Label();
            install.visitLabel(installStart);
            install.visitTypeInsn(NEW, name);
            install.visitInsn(DUP);
            install.visitMethodInsn(INVOKESPECIAL, name, "<init>", "()V", false);
            install.visitVarInsn(ALOAD, 0);
            install.visitVarInsn(ILOAD, 1);
            install.visitInsn(ICONST_1);
            install.visitInsn(IADD);
            install.visitInsn(I2S);
            install.visitVarInsn(ALOAD, 0);
            install.visitVarInsn(ILOAD, 1);
            install.visitInsn(BALOAD);
            install.visitMethodInsn(INVOKEVIRTUAL, APPLET, "register", "([BSB)V", false);
            install.visitInsn(RETURN);
            install.visitLabel(installEnd);
            install.visitLocalVariable("bArray", "[B", null, installStart, installEnd, 0);
            install.visitLocalVariable("bOffset", "S", null, installStart, installEnd, 1);
            install.visitLocalVariable("bLength", "B", null, installStart, installEnd, 2);
            install.visitMaxs(0, 0);
            install.visitEnd();

            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "process", PROCESS, null, null);
            mv.visitCode();
            Label start = new Label();
            Label end = new Label();
            Label tooShort = new Label();
            mv.visitTryCatchBlock(start, end, tooShort, "java/lang/ArrayIndexOutOfBoundsException");
            mv.visitLabel(start);
            mv.visitLineNumber(10, start);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitMethodInsn(INVOKEVIRTUAL, "javacard/framework/APDU", "getBuffer", "()[B", false);
            mv.visitVarInsn(ASTORE, 2);
            mv.visitVarInsn(ALOAD, 2);
            mv.visitInsn(ICONST_4);
            mv.visitInsn(BALOAD);
            mv.visitIntInsn(SIPUSH, 0xFF);
            mv.visitInsn(IAND);
            mv.visitInsn(I2S);
            mv.visitVarInsn(ISTORE, 3);
            mv.visitVarInsn(ALOAD, 2);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, name, "scratch", "[B");
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ILOAD, 3);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/framework/Util", "arrayCopyNonAtomic", "([BS[BSS)S", false);
            mv.visitInsn(POP);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/framework/JCSystem", "beginTransaction", "()V", false);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/framework/JCSystem", "commitTransaction", "()V", false);
            mv.visitIntInsn(SIPUSH, (short) 0x6D00);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/framework/ISOException", "throwIt", "(S)V", false);
            mv.visitLabel(end);
            mv.visitInsn(RETURN);
            mv.visitLabel(tooShort);
            mv.visitVarInsn(ASTORE, 4);
            mv.visitIntInsn(SIPUSH, 0x6700);
            mv.visitMethodInsn(INVOKESTATIC, "javacard/framework/ISOException", "throwIt", "(S)V", false);
            mv.visitInsn(RETURN);
            mv.visitLocalVariable("this", "L" + name + ";", null, start, tooShort, 0);
            mv.visitLocalVariable("apdu", APDU, null, start, tooShort, 1);
            mv.visitLocalVariable("buffer", "[B", null, start, end, 2);
            mv.visitLocalVariable("lc", "S", null, start, end, 3);
            mv.visitLocalVariable("flags", "[Z", null, start, end, 5);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
    }

    private static ClassNode fixture(String name, String superName, Consumer<ClassWriter> members) {
        return JavaCardSubsetChecker.parse(bytes(name, superName, members));
    }

    /** A class with exactly the given members (no implicit constructor: the checker does not need one). */
    private static byte[] bytes(String name, String superName, Consumer<ClassWriter> members) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, name, null, superName, null);
        members.accept(cw);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void method(ClassWriter cw, int access, String name, String desc, Consumer<MethodVisitor> code) {
        MethodVisitor mv = cw.visitMethod(access, name, desc, null, null);
        mv.visitCode();
        code.accept(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static List<String> violations(ClassNode... classes) {
        return check(Arrays.asList(classes));
    }

    private static List<String> check(List<ClassNode> classes) {
        return new JavaCardSubsetChecker(JavaCardSubsetCheckerTest.class.getClassLoader()).check(classes).stream()
            .map(Object::toString)
            .collect(Collectors.toList());
    }
}
