package nfcpay.card.subset;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import javacard.security.RandomData;
import javacard.security.Signature;
import javacardx.crypto.Cipher;
import nfcpay.card.subset.JavaCardSubsetChecker.Violation;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * What Oracle's converter and reference VM refused in code that passed the subset rules (issue 12,
 * docs/card.md), as rules on the class files, so the fast tier catches it without the SDK:
 * <ul>
 *   <li>a static initializer that creates an array or object in a <em>library</em> package (one without an
 *       applet class): the converter stops with "Static array initialization ... in library package not allowed";</li>
 *   <li>a crypto engine (Cipher, Signature, ..., or a card class holding one) read by code behind a Shareable
 *       interface method: a card may refuse an engine made without external access while another applet is
 *       selected (the reference VM throws SecurityException), and the reference VM grants external access to none,
 *       so smart selection would find no card;</li>
 *   <li>an optional algorithm the reference VM or many SIMs lack ({@code ALG_AES_CMAC_128}, DES ECB and MAC4,
 *       the secure random generators) requested outside a handler for CryptoException: the applet cannot even be
 *       created there.</li>
 * </ul>
 * It also finds the install-time helpers: methods called only from constructors, static initializers,
 * {@code install} or other install-time helpers, which may allocate like them.
 */
final class PortabilityRules {

    private static final String SHAREABLE = "javacard/framework/Shareable";
    /** Engines with an externalAccess mode (RandomData has none and works behind an SIO on the reference VM). */
    private static final Set<String> ENGINES = Set.of("javacardx/crypto/Cipher", "javacard/security/Signature",
            "javacard/security/MessageDigest", "javacard/security/KeyAgreement", "javacard/security/Checksum");
    /**
     * Optional in Java Card 3.0.5 and absent from Oracle's 3.0.5 reference VM (or from many SIMs), by engine type.
     * The reference VM has, of these engines, only DES_CBC_ISO9797_M2, AES_BLOCK_128_CBC_NOPAD, RSA_PKCS1 ciphers,
     * DES_MAC8_ISO9797_M2, AES_MAC_128_NOPAD, AES_CMAC_128 and a few RSA/ECDSA signatures, and ALG_PSEUDO_RANDOM.
     */
    @SuppressWarnings("deprecation")
    private static final Map<String, Set<Integer>> OPTIONAL_ALGORITHMS = Map.of(
            "javacard/security/Signature", Set.of((int) Signature.ALG_AES_CMAC_128, (int) Signature.ALG_DES_MAC4_ISO9797_M2),
            "javacardx/crypto/Cipher", Set.of((int) Cipher.ALG_DES_ECB_NOPAD),
            "javacard/security/RandomData", Set.of((int) RandomData.ALG_SECURE_RANDOM, (int) RandomData.ALG_KEYGENERATION,
                    (int) RandomData.ALG_TRNG, (int) RandomData.ALG_PRESEEDED_DRBG, (int) RandomData.ALG_FAST));
    private static final Set<String> CRYPTO_HANDLERS = Set.of("javacard/security/CryptoException",
            "javacard/framework/CardRuntimeException", "java/lang/RuntimeException", "java/lang/Exception",
            "java/lang/Throwable");

    private final Map<String, ClassNode> byName = new HashMap<>();
    private final Predicate<String> isAppletClass;
    private final Set<Violation> found = new LinkedHashSet<>();

    /** {@code isAppletClass}: whether an internal class name is (a subclass of) javacard.framework.Applet. */
    PortabilityRules(Collection<ClassNode> classes, Predicate<String> isAppletClass) {
        for (ClassNode c : classes) {
            byName.put(c.name, c);
        }
        this.isAppletClass = isAppletClass;
    }

    List<Violation> check() {
        Set<String> appletPackages = new HashSet<>();
        for (ClassNode c : byName.values()) {
            if (isAppletClass.test(c.name)) {
                appletPackages.add(packageOf(c.name));
            }
        }
        for (ClassNode c : byName.values()) {
            if (!appletPackages.contains(packageOf(c.name))) {
                staticInitializersOfALibrary(c);
            }
            noEngineBehindAShareableInterface(c);
            for (MethodNode m : c.methods) {
                optionalAlgorithmsHaveAFallback(c, m);
            }
        }
        return new ArrayList<>(found);
    }

    /** Keys {@code owner.name+desc} of every method that runs only at install time. */
    Set<String> installTimeMethods() {
        Map<String, Set<String>> callers = new HashMap<>();
        Set<String> permitted = new HashSet<>();
        for (ClassNode c : byName.values()) {
            for (MethodNode m : c.methods) {
                String caller = key(c.name, m);
                if (m.name.equals("<init>") || m.name.equals("<clinit>")
                        || (m.name.equals("install") && (m.access & Opcodes.ACC_STATIC) != 0)) {
                    permitted.add(caller);
                }
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof MethodInsnNode && byName.containsKey(((MethodInsnNode) insn).owner)) {
                        MethodInsnNode call = (MethodInsnNode) insn;
                        callers.computeIfAbsent(call.owner + "." + call.name + call.desc, k -> new HashSet<>()).add(caller);
                    }
                }
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Set<String>> callee : callers.entrySet()) {
                if (!permitted.contains(callee.getKey()) && permitted.containsAll(callee.getValue())) {
                    permitted.add(callee.getKey());
                    grew = true;
                }
            }
        }
        return permitted;
    }

    private void staticInitializersOfALibrary(ClassNode c) {
        for (MethodNode m : c.methods) {
            if (!m.name.equals("<clinit>")) {
                continue;
            }
            int line = -1;
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof LineNumberNode) {
                    line = ((LineNumberNode) insn).line;
                }
                int op = insn.getOpcode();
                if (op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY || op == Opcodes.NEW) {
                    report(c, JavaCardSubsetChecker.readable(m), line, (op == Opcodes.NEW ? "static object" : "static array")
                            + " initialization in library package " + packageOf(c.name).replace('/', '.')
                            + " (Oracle's converter refuses it: write the bytes with code, or keep the array in an applet package)");
                    break;
                }
            }
        }
    }

    private void noEngineBehindAShareableInterface(ClassNode c) {
        Set<String> shared = shareableMethods(c);
        if (shared.isEmpty()) {
            return;
        }
        Map<String, MethodNode> own = new HashMap<>();
        for (MethodNode m : c.methods) {
            own.put(m.name + m.desc, m);
        }
        // Everything the Shareable methods reach inside this class, and the engines they read from fields.
        Deque<String> work = new ArrayDeque<>(shared);
        Set<String> reached = new HashSet<>();
        while (!work.isEmpty()) {
            String sig = work.pop();
            MethodNode m = own.get(sig);
            if (m == null || !reached.add(sig)) {
                continue;
            }
            int line = -1;
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof LineNumberNode) {
                    line = ((LineNumberNode) insn).line;
                } else if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals(c.name)) {
                    work.push(((MethodInsnNode) insn).name + ((MethodInsnNode) insn).desc);
                } else if (insn.getOpcode() == Opcodes.GETFIELD && ((FieldInsnNode) insn).owner.equals(c.name)
                        && holdsAnEngine(Type.getType(((FieldInsnNode) insn).desc), new HashSet<>())) {
                    report(c, JavaCardSubsetChecker.readable(m), line, "field " + ((FieldInsnNode) insn).name
                            + " (a crypto engine) is used behind a Shareable interface method: there a card may refuse"
                            + " an engine made without external access, and Oracle's reference VM grants none");
                }
            }
        }
    }

    /** An engine type (Cipher, Signature, ...), or a card class with a field of one. */
    private boolean holdsAnEngine(Type type, Set<String> seen) {
        if (type.getSort() != Type.OBJECT) {
            return false;
        }
        String name = type.getInternalName();
        if (ENGINES.contains(name)) {
            return true;
        }
        ClassNode local = byName.get(name);
        if (local == null || !seen.add(name)) {
            return false;
        }
        for (org.objectweb.asm.tree.FieldNode f : local.fields) {
            if (holdsAnEngine(Type.getType(f.desc), seen)) {
                return true;
            }
        }
        return false;
    }

    /** Methods of c that implement a method of an interface extending Shareable (as far as the classes here tell). */
    private Set<String> shareableMethods(ClassNode c) {
        Set<String> methods = new HashSet<>();
        for (String itf : c.interfaces) {
            collectShareable(itf, methods, new HashSet<>());
        }
        return methods;
    }

    private boolean collectShareable(String itf, Set<String> methods, Set<String> seen) {
        if (!seen.add(itf)) {
            return false;
        }
        if (itf.equals(SHAREABLE)) {
            return true;
        }
        ClassNode node = byName.get(itf);
        if (node == null) {
            return false;
        }
        boolean shareable = false;
        for (String parent : node.interfaces) {
            shareable |= collectShareable(parent, methods, seen);
        }
        if (shareable) {
            for (MethodNode m : node.methods) {
                methods.add(m.name + m.desc);
            }
        }
        return shareable;
    }

    private void optionalAlgorithmsHaveAFallback(ClassNode c, MethodNode m) {
        int line = -1;
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof LineNumberNode) {
                line = ((LineNumberNode) insn).line;
            }
            if (!(insn instanceof MethodInsnNode)) {
                continue;
            }
            MethodInsnNode call = (MethodInsnNode) insn;
            Set<Integer> optional = OPTIONAL_ALGORITHMS.get(Type.getReturnType(call.desc).getInternalName());
            Type[] args = Type.getArgumentTypes(call.desc);
            if (optional == null || args.length == 0 || args.length > 2 || args[0] != Type.BYTE_TYPE) {
                continue;
            }
            AbstractInsnNode first = previous(call);
            for (int i = 1; i < args.length; i++) {
                first = previous(first);
            }
            Integer algorithm = constant(first);
            if (algorithm != null && optional.contains(algorithm) && !coveredByCryptoHandler(m, call)) {
                report(c, JavaCardSubsetChecker.readable(m), line, "optional algorithm " + algorithm + " requested without a CryptoException"
                        + " fallback (Oracle's 3.0.5 reference VM lacks it: the applet could not even be created)");
            }
        }
    }

    private static boolean coveredByCryptoHandler(MethodNode m, AbstractInsnNode insn) {
        int at = m.instructions.indexOf(insn);
        for (TryCatchBlockNode handler : m.tryCatchBlocks) {
            if (handler.type != null && CRYPTO_HANDLERS.contains(handler.type)
                    && m.instructions.indexOf(handler.start) <= at && at < m.instructions.indexOf(handler.end)) {
                return true;
            }
        }
        return false;
    }

    private static Integer constant(AbstractInsnNode insn) {
        if (insn == null) {
            return null;
        }
        int op = insn.getOpcode();
        if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
            return op - Opcodes.ICONST_0;
        }
        if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) {
            return ((IntInsnNode) insn).operand;
        }
        return null;
    }

    /** The previous real instruction (labels, line numbers and frames skipped). */
    private static AbstractInsnNode previous(AbstractInsnNode insn) {
        AbstractInsnNode p = insn == null ? null : insn.getPrevious();
        while (p != null && p.getOpcode() < 0) {
            p = p.getPrevious();
        }
        return p;
    }

    private void report(ClassNode c, String member, int line, String what) {
        found.add(new Violation(Type.getObjectType(c.name).getClassName(), member, line, what));
    }

    private static String key(String owner, MethodNode m) {
        return owner + "." + m.name + m.desc;
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
