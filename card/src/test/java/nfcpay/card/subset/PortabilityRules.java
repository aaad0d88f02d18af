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

import javacard.security.Signature;
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
 *   <li>a crypto engine (Cipher, Signature, ... or a card class taking an {@code externalAccess} parameter)
 *       read by code behind a Shareable interface method but created with {@code externalAccess} false: a card
 *       may refuse it while another applet is selected, and smart selection then finds no card;</li>
 *   <li>an optional algorithm the reference VM lacks ({@code ALG_AES_CMAC_128}) requested outside a handler
 *       for CryptoException: the applet cannot even be created there.</li>
 * </ul>
 * It also finds the install-time helpers: methods called only from constructors, static initializers,
 * {@code install} or other install-time helpers, which may allocate like them.
 */
final class PortabilityRules {

    private static final String SHAREABLE = "javacard/framework/Shareable";
    private static final Set<String> ENGINES = Set.of("javacardx/crypto/Cipher", "javacard/security/Signature",
            "javacard/security/MessageDigest", "javacard/security/KeyAgreement", "javacard/security/Checksum",
            "javacard/security/RandomData");
    /** Optional in Java Card 3.0.5 and absent from Oracle's 3.0.5 reference VM: engine type -> algorithm values. */
    private static final Map<String, Set<Integer>> OPTIONAL_ALGORITHMS =
            Map.of("javacard/security/Signature", Set.of((int) Signature.ALG_AES_CMAC_128));
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
            sharedEnginesAreCreatedForExternalAccess(c);
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

    private void sharedEnginesAreCreatedForExternalAccess(ClassNode c) {
        Set<String> shared = shareableMethods(c);
        if (shared.isEmpty()) {
            return;
        }
        Map<String, MethodNode> own = new HashMap<>();
        for (MethodNode m : c.methods) {
            own.put(m.name + m.desc, m);
        }
        // Everything the Shareable methods reach inside this class, and the fields it reads.
        Deque<String> work = new ArrayDeque<>(shared);
        Set<String> reached = new HashSet<>();
        Set<String> fieldsRead = new HashSet<>();
        while (!work.isEmpty()) {
            String sig = work.pop();
            MethodNode m = own.get(sig);
            if (m == null || !reached.add(sig)) {
                continue;
            }
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals(c.name)) {
                    work.push(((MethodInsnNode) insn).name + ((MethodInsnNode) insn).desc);
                } else if (insn.getOpcode() == Opcodes.GETFIELD && ((FieldInsnNode) insn).owner.equals(c.name)) {
                    fieldsRead.add(((FieldInsnNode) insn).name);
                }
            }
        }
        for (MethodNode init : c.methods) {
            if (!init.name.equals("<init>")) {
                continue;
            }
            int line = -1;
            for (AbstractInsnNode insn : init.instructions) {
                if (insn instanceof LineNumberNode) {
                    line = ((LineNumberNode) insn).line;
                }
                if (insn.getOpcode() != Opcodes.PUTFIELD || !fieldsRead.contains(((FieldInsnNode) insn).name)) {
                    continue;
                }
                AbstractInsnNode producer = previous(insn);
                if (producer != null && producer.getOpcode() == Opcodes.CHECKCAST) {
                    producer = previous(producer);
                }
                if (producer instanceof MethodInsnNode && createsUnsharedEngine((MethodInsnNode) producer)) {
                    report(c, JavaCardSubsetChecker.readable(init), line, "field " + ((FieldInsnNode) insn).name
                            + " is used behind a Shareable interface method but created with externalAccess false"
                            + " (a card may refuse it while another applet is selected)");
                }
            }
        }
    }

    /** A call whose last argument, {@code externalAccess}, is the constant false. */
    private boolean createsUnsharedEngine(MethodInsnNode call) {
        Type[] args = Type.getArgumentTypes(call.desc);
        if (args.length == 0 || args[args.length - 1] != Type.BOOLEAN_TYPE) {
            return false;
        }
        boolean engineFactory = ENGINES.contains(call.owner) && call.name.equals("getInstance");
        boolean cardFactory = byName.containsKey(call.owner) && lastParameterIsExternalAccess(call);
        AbstractInsnNode last = previous(call);
        return (engineFactory || cardFactory) && last != null && last.getOpcode() == Opcodes.ICONST_0;
    }

    private boolean lastParameterIsExternalAccess(MethodInsnNode call) {
        ClassNode owner = byName.get(call.owner);
        for (MethodNode m : owner.methods) {
            if (m.name.equals(call.name) && m.desc.equals(call.desc) && m.localVariables != null) {
                int slot = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
                for (Type t : Type.getArgumentTypes(m.desc)) {
                    slot += t.getSize();
                }
                int lastSlot = slot - 1;
                for (LocalVariableNode local : m.localVariables) {
                    if (local.index == lastSlot && local.name.equals("externalAccess")) {
                        return true;
                    }
                }
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
            if (optional == null || args.length != 2 || args[0] != Type.BYTE_TYPE || args[1] != Type.BOOLEAN_TYPE) {
                continue;
            }
            Integer algorithm = constant(previous(previous(call)));
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
