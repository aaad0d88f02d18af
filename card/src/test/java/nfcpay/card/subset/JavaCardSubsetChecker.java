package nfcpay.card.subset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Holds compiled card code to the Java Card 3.0.5 classic subset, on the class files, so that the fast
 * tier catches without Oracle's SDK what its converter and reference VM refuse (docs/card.md; the CAP
 * build runs the converter itself where the SDK is). It checks what the converter and a card without int
 * support would refuse, plus the house rule that nothing allocates after install:
 * <ul>
 *   <li>references to JDK types other than {@code java.lang.Object} and the Java Card exception subset,
 *       and to simulator internals ({@code com.licel});</li>
 *   <li>String, long, float, double and Class constants; int constants outside the short range;
 *       long/float/double/char instructions; fields, parameters, return types, locals (from the
 *       LocalVariableTable) and referenced members of type int, long, float, double or char;</li>
 *   <li>invokedynamic, monitors, synchronized and native methods, multi-dimensional arrays, methods
 *       called on arrays (Java Card arrays have none);</li>
 *   <li>allocation ({@code NEW}, arrays, {@code JCSystem.makeTransient*}/{@code makeGlobalArray},
 *       {@code KeyBuilder.build*}, any Java Card {@code getInstance}) outside {@code <init>},
 *       {@code <clinit>}, a static {@code install} and the helpers only they call; {@code NEW} of a
 *       Throwable anywhere;</li>
 *   <li>what the converter and the reference VM taught the project ({@link PortabilityRules}): static
 *       arrays in library packages, engines used behind a Shareable interface without external access,
 *       optional algorithms without a fallback.</li>
 * </ul>
 * The checker reads class files only; it never loads card classes. It resolves superclasses (to tell
 * exceptions) from the classes being checked, then from the class loader it was given.
 */
public final class JavaCardSubsetChecker {

    /** One place where card code leaves the subset; {@code line} is -1 where the class file has none. */
    public record Violation(String className, String member, int line, String what) {
        @Override
        public String toString() {
            return className + (member.isEmpty() ? "" : " " + member) + (line < 0 ? "" : " line " + line) + ": " + what;
        }
    }

    /** The java.* types a Java Card 3.0.5 platform provides (JC API spec, packages java.lang, java.io, java.rmi). */
    private static final Set<String> JAVA_CARD_JAVA_TYPES = Set.of(
        "java/lang/Object",
        "java/lang/Throwable",
        "java/lang/Exception",
        "java/lang/RuntimeException",
        "java/lang/ArithmeticException",
        "java/lang/ArrayIndexOutOfBoundsException",
        "java/lang/ArrayStoreException",
        "java/lang/ClassCastException",
        "java/lang/IndexOutOfBoundsException",
        "java/lang/NegativeArraySizeException",
        "java/lang/NullPointerException",
        "java/lang/SecurityException",
        "java/io/IOException",
        "java/rmi/Remote",
        "java/rmi/RemoteException");

    /** Packages no card provides: the JDK and the simulator's own implementation. */
    private static final List<String> OFF_CARD_PACKAGES =
        List.of("java/", "javax/", "jdk/", "sun/", "com/sun/", "com/licel/");

    /** Instructions on types a Java Card VM does not have. */
    private static final Map<Integer, String> WIDE_OR_CHAR_OPCODES = opcodes(
        "LCONST_0", "LCONST_1", "FCONST_0", "FCONST_1", "FCONST_2", "DCONST_0", "DCONST_1",
        "LLOAD", "FLOAD", "DLOAD", "LSTORE", "FSTORE", "DSTORE",
        "LALOAD", "FALOAD", "DALOAD", "CALOAD", "LASTORE", "FASTORE", "DASTORE", "CASTORE",
        "LADD", "FADD", "DADD", "LSUB", "FSUB", "DSUB", "LMUL", "FMUL", "DMUL",
        "LDIV", "FDIV", "DDIV", "LREM", "FREM", "DREM", "LNEG", "FNEG", "DNEG",
        "LSHL", "LSHR", "LUSHR", "LAND", "LOR", "LXOR",
        "I2L", "I2F", "I2D", "L2I", "L2F", "L2D", "F2I", "F2L", "F2D", "D2I", "D2L", "D2F", "I2C",
        "LCMP", "FCMPL", "FCMPG", "DCMPL", "DCMPG",
        "LRETURN", "FRETURN", "DRETURN");

    private final ClassLoader platform;
    private final Map<String, Optional<String>> platformSuperNames = new HashMap<>();

    /** @param platform where the Java Card API (jcardsim) and the JDK classes are found, to resolve superclasses */
    public JavaCardSubsetChecker(ClassLoader platform) {
        this.platform = platform;
    }

    /** Reads every class file under a directory (or in a jar), ordered by path. */
    public static List<ClassNode> readClasses(Path classesDirOrJar) throws IOException {
        if (Files.isDirectory(classesDirOrJar)) {
            return readTree(classesDirOrJar);
        }
        try (FileSystem jar = FileSystems.newFileSystem(classesDirOrJar)) {
            return readTree(jar.getPath("/"));
        }
    }

    private static List<ClassNode> readTree(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class"))
                .filter(p -> !p.getFileName().toString().equals("module-info.class"))
                .sorted()
                .collect(Collectors.toList());
        }
        List<ClassNode> classes = new ArrayList<>();
        for (Path file : files) {
            classes.add(parse(Files.readAllBytes(file)));
        }
        return classes;
    }

    /** Parses one class file, keeping debug information (line numbers, local variables). */
    public static ClassNode parse(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        return node;
    }

    /** Every violation in the given classes, in class, then member, then instruction order. */
    public List<Violation> check(Collection<ClassNode> classes) {
        Map<String, String> superNames = new HashMap<>();
        for (ClassNode c : classes) {
            superNames.put(c.name, c.superName);
        }
        PortabilityRules portability = new PortabilityRules(classes, name -> extendsApplet(name, superNames));
        Set<String> installTime = portability.installTimeMethods();
        Set<Violation> found = new LinkedHashSet<>();
        for (ClassNode c : classes) {
            new ClassCheck(c, superNames, installTime, found).run();
        }
        found.addAll(portability.check());
        return new ArrayList<>(found);
    }

    private boolean extendsApplet(String type, Map<String, String> localSuperNames) {
        String current = type;
        for (int depth = 0; depth < 64 && current != null && !current.isEmpty(); depth++) {
            if (current.equals("javacard/framework/Applet")) {
                return true;
            }
            current = localSuperNames.containsKey(current)
                ? Objects.requireNonNullElse(localSuperNames.get(current), "")
                : platformSuperName(current);
        }
        return false;
    }

    private final class ClassCheck {
        private final ClassNode c;
        private final Map<String, String> localSuperNames;
        private final Set<String> installTime;
        private final Set<Violation> found;
        private final String className;
        private String member = "";
        private int line = -1;

        ClassCheck(ClassNode c, Map<String, String> localSuperNames, Set<String> installTime, Set<Violation> found) {
            this.c = c;
            this.localSuperNames = localSuperNames;
            this.installTime = installTime;
            this.found = found;
            this.className = Type.getObjectType(c.name).getClassName();
        }

        void run() {
            if (c.superName != null) {
                reference(Type.getObjectType(c.superName), "superclass");
            }
            for (String itf : c.interfaces) {
                reference(Type.getObjectType(itf), "interface");
            }
            for (FieldNode f : c.fields) {
                member = "field " + f.name;
                line = -1;
                declared(Type.getType(f.desc), "field type");
            }
            for (MethodNode m : c.methods) {
                checkMethod(m);
            }
        }

        private void checkMethod(MethodNode m) {
            member = readable(m);
            line = -1;
            if ((m.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                report("synchronized method (Java Card has no threads or monitors)");
            }
            if ((m.access & Opcodes.ACC_NATIVE) != 0) {
                report("native method");
            }
            Type[] params = Type.getArgumentTypes(m.desc);
            for (int i = 0; i < params.length; i++) {
                declared(params[i], "parameter " + (i + 1));
            }
            declared(Type.getReturnType(m.desc), "return type");
            if (m.exceptions != null) {
                for (String e : m.exceptions) {
                    reference(Type.getObjectType(e), "throws clause");
                }
            }
            if (m.localVariables != null) {
                for (LocalVariableNode local : m.localVariables) {
                    declared(Type.getType(local.desc), "local variable '" + local.name + "'");
                }
            }
            for (TryCatchBlockNode handler : m.tryCatchBlocks) {
                if (handler.type != null) {
                    reference(Type.getObjectType(handler.type), "catch type");
                }
            }
            boolean mayAllocate = installTime.contains(c.name + "." + m.name + m.desc);
            for (AbstractInsnNode insn : m.instructions) {
                checkInstruction(insn, mayAllocate);
            }
        }

        private void checkInstruction(AbstractInsnNode insn, boolean mayAllocate) {
            int op = insn.getOpcode();
            if (insn instanceof LineNumberNode) {
                line = ((LineNumberNode) insn).line;
                return;
            }
            String wide = WIDE_OR_CHAR_OPCODES.get(op);
            if (wide != null) {
                report(wide + " (long/float/double/char arithmetic)");
            }
            switch (op) {
                case Opcodes.MONITORENTER:
                case Opcodes.MONITOREXIT:
                    report((op == Opcodes.MONITORENTER ? "MONITORENTER" : "MONITOREXIT") + " (synchronized block)");
                    break;
                case Opcodes.INVOKEDYNAMIC:
                    report("INVOKEDYNAMIC (lambda, method reference or string concatenation)");
                    break;
                case Opcodes.MULTIANEWARRAY: {
                    String desc = ((MultiANewArrayInsnNode) insn).desc;
                    report("MULTIANEWARRAY " + Type.getType(desc).getClassName() + " (Java Card arrays are one-dimensional)");
                    reference(Type.getType(desc), "array type");
                    allocation("MULTIANEWARRAY", mayAllocate);
                    break;
                }
                case Opcodes.NEW: {
                    String type = ((TypeInsnNode) insn).desc;
                    reference(Type.getObjectType(type), "NEW");
                    if (isThrowable(type)) {
                        report("NEW " + dotted(type) + ": throw the preallocated one via XxxException.throwIt");
                    }
                    allocation("NEW " + dotted(type), mayAllocate);
                    break;
                }
                case Opcodes.ANEWARRAY: {
                    Type element = Type.getObjectType(((TypeInsnNode) insn).desc);
                    reference(element, "array type");
                    allocation("ANEWARRAY " + element.getClassName(), mayAllocate);
                    break;
                }
                case Opcodes.NEWARRAY: {
                    String element = primitiveArrayName(((IntInsnNode) insn).operand);
                    if (!element.equals("byte") && !element.equals("short") && !element.equals("boolean")) {
                        report("NEWARRAY " + element + " (only byte, short and boolean arrays)");
                    }
                    allocation("NEWARRAY " + element, mayAllocate);
                    break;
                }
                case Opcodes.CHECKCAST:
                    reference(Type.getObjectType(((TypeInsnNode) insn).desc), "CHECKCAST");
                    break;
                case Opcodes.INSTANCEOF:
                    reference(Type.getObjectType(((TypeInsnNode) insn).desc), "INSTANCEOF");
                    break;
                case Opcodes.LDC:
                    constant(((LdcInsnNode) insn).cst);
                    break;
                default:
                    break;
            }
            if (insn instanceof FieldInsnNode) {
                FieldInsnNode f = (FieldInsnNode) insn;
                String what = "field " + dotted(f.owner) + "." + f.name;
                reference(Type.getObjectType(f.owner), what);
                declared(Type.getType(f.desc), what);
            } else if (insn instanceof MethodInsnNode) {
                checkCall((MethodInsnNode) insn, mayAllocate);
            }
        }

        private void checkCall(MethodInsnNode call, boolean mayAllocate) {
            String what = "call " + dotted(call.owner) + "." + call.name;
            if (call.owner.startsWith("[")) {
                report(what + " (Java Card arrays have no methods)");
            }
            reference(Type.getObjectType(call.owner), what);
            Type[] params = Type.getArgumentTypes(call.desc);
            for (int i = 0; i < params.length; i++) {
                declared(params[i], what + " parameter " + (i + 1));
            }
            declared(Type.getReturnType(call.desc), what + " return type");
            if (isAllocatingApi(call)) {
                allocation(what, mayAllocate);
            }
        }

        private void constant(Object cst) {
            if (cst instanceof Integer) {
                int value = (Integer) cst;
                if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                    report("LDC int " + value + " outside the short range (needs int support)");
                }
            } else if (cst instanceof String) {
                report("LDC String \"" + cst + "\"");
            } else if (cst instanceof Long) {
                report("LDC long " + cst);
            } else if (cst instanceof Float) {
                report("LDC float " + cst);
            } else if (cst instanceof Double) {
                report("LDC double " + cst);
            } else if (cst instanceof Type) {
                report("LDC class constant " + ((Type) cst).getClassName());
            } else {
                report("LDC " + cst.getClass().getSimpleName() + " constant " + cst);
            }
        }

        /** A declared or used value type: only byte, short, boolean, references and one-dimensional arrays of them. */
        private void declared(Type type, String what) {
            Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
            switch (element.getSort()) {
                case Type.INT:
                case Type.LONG:
                case Type.FLOAT:
                case Type.DOUBLE:
                case Type.CHAR:
                    report(what + " is " + type.getClassName() + " (Java Card values are byte, short, boolean)");
                    break;
                default:
                    break;
            }
            reference(type, what);
        }

        private void reference(Type type, String what) {
            Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
            if (element.getSort() != Type.OBJECT) {
                return;
            }
            String name = element.getInternalName();
            if (JAVA_CARD_JAVA_TYPES.contains(name)) {
                return;
            }
            for (String prefix : OFF_CARD_PACKAGES) {
                if (name.startsWith(prefix)) {
                    report(what + " references " + element.getClassName() + " (not in the Java Card API)");
                    return;
                }
            }
        }

        private void allocation(String what, boolean mayAllocate) {
            if (!mayAllocate) {
                report(what + " allocates outside <init>, <clinit> and install");
            }
        }

        private void report(String what) {
            found.add(new Violation(className, member, line, what));
        }

        private boolean isThrowable(String type) {
            String current = type;
            for (int depth = 0; depth < 64; depth++) {
                if (current.equals("java/lang/Throwable")) {
                    return true;
                }
                String superName = localSuperNames.containsKey(current)
                    ? Objects.requireNonNullElse(localSuperNames.get(current), "")
                    : platformSuperName(current);
                if (superName == null) {
                    // Not on the classpath: judge by the name every JDK and Java Card exception type carries.
                    return current.endsWith("Exception") || current.endsWith("Error");
                }
                if (superName.isEmpty()) {
                    return false;
                }
                current = superName;
            }
            return false;
        }
    }

    /** The superclass of a platform type, "" for java.lang.Object, null when its class file is not found. */
    private String platformSuperName(String type) {
        return platformSuperNames.computeIfAbsent(type, t -> {
            try (InputStream in = platform.getResourceAsStream(t + ".class")) {
                if (in == null) {
                    return Optional.empty();
                }
                return Optional.of(Objects.requireNonNullElse(new ClassReader(in).getSuperName(), ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(null);
    }

    private static boolean isAllocatingApi(MethodInsnNode call) {
        if (call.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        String owner = call.owner;
        if (!owner.startsWith("javacard/") && !owner.startsWith("javacardx/")) {
            return false;
        }
        String name = call.name;
        return name.equals("getInstance")                                   // Cipher, Signature, RandomData, MessageDigest, KeyAgreement, Checksum, ...
            || name.equals("getInitializedMessageDigestInstance")
            || (owner.equals("javacard/security/KeyBuilder") && name.startsWith("build"))
            || (owner.equals("javacard/framework/JCSystem") && (name.startsWith("makeTransient") || name.equals("makeGlobalArray")));
    }

    static String readable(MethodNode m) {
        return m.name + Stream.of(Type.getArgumentTypes(m.desc))
            .map(t -> {
                String n = t.getClassName();
                return n.substring(n.lastIndexOf('.') + 1);
            })
            .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String dotted(String internalName) {
        return Type.getObjectType(internalName).getClassName();
    }

    private static String primitiveArrayName(int operand) {
        switch (operand) {
            case Opcodes.T_BOOLEAN: return "boolean";
            case Opcodes.T_BYTE: return "byte";
            case Opcodes.T_SHORT: return "short";
            case Opcodes.T_CHAR: return "char";
            case Opcodes.T_INT: return "int";
            case Opcodes.T_LONG: return "long";
            case Opcodes.T_FLOAT: return "float";
            case Opcodes.T_DOUBLE: return "double";
            default: return "type " + operand;
        }
    }

    private static Map<Integer, String> opcodes(String... names) {
        Map<Integer, String> byCode = new HashMap<>();
        for (String name : names) {
            try {
                byCode.put(Opcodes.class.getField(name).getInt(null), name);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("ASM has no opcode " + name, e);
            }
        }
        return Map.copyOf(byCode);
    }
}
