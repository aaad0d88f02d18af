package nfcpay.reliability.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites a card class so that every persistent write goes through {@link Barrier}:
 * <ul>
 *   <li>{@code PUTFIELD}: announced to {@link Barrier#putField} just before it runs (owner and value stay
 *       on the stack); {@code PUTSTATIC} outside a static initializer is refused (see below);</li>
 *   <li>{@code BASTORE}/{@code SASTORE}/{@code IASTORE}/{@code AASTORE}: replaced by the barrier's store;</li>
 *   <li>{@code Util.arrayCopy}, {@code arrayCopyNonAtomic}, {@code arrayFillNonAtomic}, {@code setShort}:
 *       redirected to the barrier's versions;</li>
 *   <li>{@code setKey(byte[], short)} and {@code clearKey()} on {@code javacard.security} keys: redirected;
 *       any other key mutator is refused, since the model does not cover it;</li>
 *   <li>platform APIs that write their result into a caller's array ({@code Cipher.doFinal}/{@code update},
 *       {@code Signature.sign}, {@code MessageDigest.doFinal}, {@code RandomData.nextBytes}/{@code generateData},
 *       {@code getKey} of a secret key): redirected, so that into a persistent array each byte is a tear
 *       point; the other output APIs ({@code KeyAgreement}, {@code Checksum}, {@code signPreComputedHash},
 *       public-key getters) are refused, since the model does not cover them;</li>
 *   <li>{@code check}, {@code update}, {@code reset} and {@code resetAndUnblock} on {@code OwnerPIN}, and
 *       {@code check} and {@code reset} through the {@code PIN} interface: redirected to {@link PinBarrier}.
 *       A card subclass of {@code OwnerPIN} (its protected validated-flag methods), {@code OwnerPINx},
 *       {@code OwnerPINBuilder} and {@code KeyPair} are refused: not modelled, and unused by the applets.</li>
 * </ul>
 * Constructors and static initializers are left alone: they run only at install, which on a card either
 * completes or deletes the whole instance. Transactions, transient arrays and the end of {@code process()}
 * are handled in {@link TransactionalRuntime}, where jcardsim routes them, so no call to them is rewritten.
 *
 * <p>Static fields written after class initialization are refused because one class loader serves every
 * simulated card in the JVM: a static would be shared between cards. The project's card code keeps only
 * constants in statics.
 */
final class Instrumenter extends ClassVisitor {

    private static final String BARRIER = Type.getInternalName(Barrier.class);
    private static final String UTIL = "javacard/framework/Util";
    private static final String PIN_BARRIER = Type.getInternalName(PinBarrier.class);
    private static final String OWNER_PIN = "javacard/framework/OwnerPIN";
    private static final String PIN = "javacard/framework/PIN";

    private final Counts counts;
    private String className;

    /** Barriers inserted, for the record (docs/reliability.md quotes them). */
    static final class Counts {
        final AtomicInteger fieldWrites = new AtomicInteger();
        final AtomicInteger arrayStores = new AtomicInteger();
        final AtomicInteger utilCalls = new AtomicInteger();
        final AtomicInteger keyCalls = new AtomicInteger();
        final AtomicInteger pinCalls = new AtomicInteger();
        final AtomicInteger platformCalls = new AtomicInteger();

        @Override
        public String toString() {
            return fieldWrites + " field writes, " + arrayStores + " array stores, " + utilCalls
                    + " Util calls, " + keyCalls + " key updates, " + pinCalls + " PIN calls, " + platformCalls
                    + " platform output calls";
        }
    }

    Instrumenter(ClassVisitor next, Counts counts) {
        super(Opcodes.ASM9, next);
        this.counts = counts;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        className = name;
        if (OWNER_PIN.equals(superName)) {
            throw new IllegalStateException("cannot model " + name + ": a subclass of OwnerPIN (PinBarrier models"
                    + " OwnerPIN itself, not overridden methods or the protected validated-flag methods)");
        }
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (name.equals("<init>") || name.equals("<clinit>")) {
            return mv;
        }
        return new BarrierInserter(mv, className + "." + name);
    }

    private final class BarrierInserter extends MethodVisitor {

        private final String where;

        BarrierInserter(MethodVisitor next, String where) {
            super(Opcodes.ASM9, next);
            this.where = where;
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            if (opcode == Opcodes.PUTFIELD) {
                if (descriptor.equals("J") || descriptor.equals("D")) {
                    throw refuse("a long/double field write to " + owner + "." + name);
                }
                // [obj, value] -> [value, obj] -> [obj, value, obj] -> putField(obj, owner, name) -> [obj, value]
                super.visitInsn(Opcodes.SWAP);
                super.visitInsn(Opcodes.DUP_X1);
                super.visitLdcInsn(Type.getObjectType(owner));
                super.visitLdcInsn(name);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, BARRIER, "putField",
                        "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)V", false);
                counts.fieldWrites.incrementAndGet();
            } else if (opcode == Opcodes.PUTSTATIC) {
                throw refuse("a static field written after class initialization (" + owner + "." + name
                        + "): statics would be shared between simulated cards");
            }
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitInsn(int opcode) {
            switch (opcode) {
                case Opcodes.BASTORE:
                    store("bastore", "(Ljava/lang/Object;II)V");
                    return;
                case Opcodes.SASTORE:
                    store("sastore", "([SII)V");
                    return;
                case Opcodes.IASTORE:
                    store("iastore", "([III)V");
                    return;
                case Opcodes.AASTORE:
                    store("aastore", "([Ljava/lang/Object;ILjava/lang/Object;)V");
                    return;
                case Opcodes.CASTORE:
                case Opcodes.LASTORE:
                case Opcodes.FASTORE:
                case Opcodes.DASTORE:
                    throw refuse("a char/long/float/double array store");
                default:
                    super.visitInsn(opcode);
            }
        }

        private void store(String method, String descriptor) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BARRIER, method, descriptor, false);
            counts.arrayStores.incrementAndGet();
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESTATIC && owner.equals(UTIL)) {
                switch (name) {
                    case "arrayCopy":
                    case "arrayCopyNonAtomic":
                    case "arrayFillNonAtomic":
                    case "setShort":
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, BARRIER, name, descriptor, false);
                        counts.utilCalls.incrementAndGet();
                        return;
                    case "arrayFill":
                        throw refuse("Util.arrayFill (not modelled)");
                    default:
                        break;
                }
            }
            if (platformOutput(opcode, owner, name, descriptor)) {
                return;
            }
            if (owner.startsWith("javacard/security/") && isKeyType(owner)
                    && (opcode == Opcodes.INVOKEINTERFACE || opcode == Opcodes.INVOKEVIRTUAL)) {
                if (name.equals("setKey") && descriptor.equals("([BS)V")) {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, BARRIER, "setKey", "(Ljavacard/security/Key;[BS)V", false);
                    counts.keyCalls.incrementAndGet();
                    return;
                }
                if (name.equals("clearKey") && descriptor.equals("()V")) {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, BARRIER, "clearKey", "(Ljavacard/security/Key;)V", false);
                    counts.keyCalls.incrementAndGet();
                    return;
                }
                if (name.startsWith("set") || name.equals("genKeyPair")) {
                    throw refuse("key update " + owner + "." + name + descriptor + " (not modelled)");
                }
            }
            if ((owner.equals(OWNER_PIN) || owner.equals(PIN)) && opcode != Opcodes.INVOKESPECIAL) {
                switch (name) {
                    case "check":
                    case "update":
                    case "reset":
                    case "resetAndUnblock":
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, PIN_BARRIER, name, "(L" + owner + ";" + descriptor.substring(1), false);
                        counts.pinCalls.incrementAndGet();
                        return;
                    default:
                        break; // getTriesRemaining, isValidated: reads
                }
            }
            if (owner.startsWith("javacard/framework/OwnerPINx") || owner.equals("javacard/framework/OwnerPINBuilder")
                    || owner.equals("javacard/security/KeyPair")) {
                throw refuse(owner + "." + name + " (OwnerPINx and key-pair state are not modelled)");
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        /** Redirects an output API to the barrier's version; refuses an output API the model does not cover. */
        private boolean platformOutput(int opcode, String owner, String name, String descriptor) {
            if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
                return false;
            }
            String redirected = switch (owner + "." + name + descriptor) {
                case "javacardx/crypto/Cipher.doFinal([BSS[BS)S", "javacardx/crypto/Cipher.update([BSS[BS)S",
                        "javacard/security/Signature.sign([BSS[BS)S", "javacard/security/MessageDigest.doFinal([BSS[BS)S",
                        "javacard/security/RandomData.nextBytes([BSS)S", "javacard/security/RandomData.generateData([BSS)V" ->
                        "(L" + owner + ";" + descriptor.substring(1);
                default -> null;
            };
            if (redirected == null && owner.startsWith("javacard/security/") && isKeyType(owner)
                    && name.equals("getKey") && descriptor.equals("([BS)B")) {
                redirected = "(Ljavacard/security/Key;[BS)B";
            }
            if (redirected != null) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, BARRIER, name, redirected, false);
                counts.platformCalls.incrementAndGet();
                return true;
            }
            boolean keyGetter = owner.startsWith("javacard/security/") && isKeyType(owner) && name.startsWith("get")
                    && descriptor.startsWith("([BS)");
            if (keyGetter || owner.equals("javacard/security/KeyAgreement") || owner.equals("javacard/security/Checksum")
                    || name.equals("signPreComputedHash") || owner.startsWith("javacardx/crypto/") && !owner.equals("javacardx/crypto/Cipher")) {
                if (descriptor.contains("[B")) {
                    throw refuse("platform output " + owner + "." + name + descriptor + " (not modelled)");
                }
            }
            return false;
        }

        private boolean isKeyType(String owner) {
            String simple = owner.substring("javacard/security/".length());
            return simple.endsWith("Key") && !simple.equals("KeyBuilder");
        }

        private IllegalStateException refuse(String what) {
            return new IllegalStateException("cannot model " + what + " in " + where);
        }
    }
}
