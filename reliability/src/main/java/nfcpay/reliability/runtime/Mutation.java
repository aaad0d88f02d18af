package nfcpay.reliability.runtime;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A deliberate defect put into a card class before it is loaded: the attack tests run each attack against
 * the genuine applet (the defence must hold) and against a mutant without the defence (the attack must
 * then get through), which shows that the test really depends on that defence.
 *
 * @param className binary name of the class to mutate, e.g. {@code nfcpay.card.purse.PurseApplet}
 * @param method name of the method to mutate
 * @param description what the mutant lacks, for messages
 * @param edit the change; must report whether it found its target
 */
public record Mutation(String className, String method, String description, Edit edit) {

    /** Changes one method; returns the number of sites changed. */
    @FunctionalInterface
    public interface Edit {
        int apply(MethodNode method);
    }

    /**
     * Removes {@code ISOException.throwIt(sw)} (the SW pushed as a constant right before the call) in
     * {@code method}: the check it ends no longer stops anything. Every such throw in the method is removed.
     */
    public static Mutation removeThrow(String className, String method, int sw) {
        return removeThrow(className, method, sw, -1);
    }

    /** As {@link #removeThrow(String, String, int)}, only the {@code occurrence}-th such throw (0 = first, -1 = all). */
    public static Mutation removeThrow(String className, String method, int sw, int occurrence) {
        String which = occurrence < 0 ? "" : " #" + (occurrence + 1);
        return new Mutation(className, method, String.format("no ISOException.throwIt(%04X)%s in %s", sw, which, method), m -> {
            int seen = 0;
            int changed = 0;
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                if (insn instanceof MethodInsnNode call && call.owner.equals("javacard/framework/ISOException")
                        && call.name.equals("throwIt") && constantBefore(call) == (short) sw) {
                    if (occurrence < 0 || seen == occurrence) {
                        m.instructions.set(call, new InsnNode(Opcodes.POP));
                        changed++;
                    }
                    seen++;
                }
            }
            return changed;
        });
    }

    /**
     * Replaces every call to {@code owner.name} in {@code method} by dropping its arguments (and receiver)
     * and pushing {@code result} instead (ignored for a void method).
     */
    public static Mutation replaceCall(String className, String method, String owner, String name, int result,
            String description) {
        return replaceCall(className, method, owner, name, -1, result, description);
    }

    /** As {@link #replaceCall(String, String, String, String, int, String)}, only the {@code occurrence}-th call (-1 = all). */
    public static Mutation replaceCall(String className, String method, String owner, String name, int occurrence,
            int result, String description) {
        String internalOwner = owner.replace('.', '/');
        return new Mutation(className, method, description, m -> {
            int changed = 0;
            int seen = 0;
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                if (insn instanceof MethodInsnNode call && call.owner.equals(internalOwner) && call.name.equals(name)
                        && (occurrence < 0 || seen++ == occurrence)) {
                    InsnList replacement = new InsnList();
                    Type[] args = Type.getArgumentTypes(call.desc);
                    for (int i = args.length - 1; i >= 0; i--) {
                        replacement.add(new InsnNode(args[i].getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
                    }
                    if (call.getOpcode() != Opcodes.INVOKESTATIC) {
                        replacement.add(new InsnNode(Opcodes.POP));
                    }
                    Type returned = Type.getReturnType(call.desc);
                    if (returned.getSort() != Type.VOID) {
                        replacement.add(new LdcInsnNode(result));
                    }
                    m.instructions.insert(call, replacement);
                    m.instructions.remove(call);
                    changed++;
                }
            }
            return changed;
        });
    }

    /**
     * Keeps every call to {@code owner.name} in {@code method} but replaces what it returns (a boolean or
     * short) by {@code result}: the call's side effects stay, the check on its answer is gone.
     */
    public static Mutation forceResult(String className, String method, String owner, String name, int result,
            String description) {
        String internalOwner = owner.replace('.', '/');
        return new Mutation(className, method, description, m -> {
            int changed = 0;
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                if (insn instanceof MethodInsnNode call && call.owner.equals(internalOwner) && call.name.equals(name)) {
                    InsnList after = new InsnList();
                    after.add(new InsnNode(Opcodes.POP));
                    after.add(new LdcInsnNode(result));
                    m.instructions.insert(call, after);
                    changed++;
                }
            }
            return changed;
        });
    }

    /**
     * Drops the {@code occurrence}-th write of the instance field {@code field} in {@code method} (0 = first,
     * -1 = all): the value and the object are popped, the field keeps what it had.
     */
    public static Mutation removeFieldWrite(String className, String method, String field, int occurrence,
            String description) {
        return new Mutation(className, method, description, m -> {
            int changed = 0;
            int seen = 0;
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                if (insn instanceof FieldInsnNode put && put.getOpcode() == Opcodes.PUTFIELD && put.name.equals(field)
                        && (occurrence < 0 || seen++ == occurrence)) {
                    InsnList replacement = new InsnList();
                    replacement.add(new InsnNode(Type.getType(put.desc).getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
                    replacement.add(new InsnNode(Opcodes.POP));
                    m.instructions.insert(put, replacement);
                    m.instructions.remove(put);
                    changed++;
                }
            }
            return changed;
        });
    }

    void applyTo(ClassNode node) {
        int changed = 0;
        for (MethodNode m : node.methods) {
            if (m.name.equals(method)) {
                changed += edit.apply(m);
            }
        }
        if (changed == 0) {
            throw new IllegalStateException("mutation found nothing to change: " + this);
        }
    }

    private static int constantBefore(AbstractInsnNode insn) {
        AbstractInsnNode previous = insn.getPrevious();
        while (previous != null && previous.getOpcode() < 0) {
            previous = previous.getPrevious();
        }
        if (previous instanceof IntInsnNode push
                && (push.getOpcode() == Opcodes.SIPUSH || push.getOpcode() == Opcodes.BIPUSH)) {
            return (short) push.operand;
        }
        if (previous instanceof LdcInsnNode ldc && ldc.cst instanceof Integer value) {
            return (short) (int) value;
        }
        return Integer.MIN_VALUE;
    }

    @Override
    public String toString() {
        return className + ": " + description;
    }
}
