package nfcpay.reliability.runtime;

import com.licel.jcardsim.base.SimulatorRuntime;
import com.licel.jcardsim.base.SimulatorSystem;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javacard.framework.Util;
import javacard.security.AESKey;
import javacard.security.DESKey;
import javacard.security.HMACKey;
import javacard.security.Key;
import javacard.security.MessageDigest;
import javacard.security.RandomData;
import javacard.security.Signature;
import javacardx.crypto.Cipher;

/**
 * The write barrier: {@link Instrumenter} rewrites every persistent write of the card classes into a call
 * here (field writes are announced just before the original instruction; array stores, {@code Util}
 * calls and key updates are performed here). Each call asks the current card's {@link PersistentMemory}
 * whether the target is persistent, counts the event (where the power may be cut) and journals the old
 * value, then writes.
 *
 * <p>Public because instrumented classes live in another class loader; not an API for anything else.
 */
public final class Barrier {

    private static final ClassValue<Map<String, Field>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Field> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Barrier() {}

    static PersistentMemory memory() {
        SimulatorRuntime runtime = SimulatorSystem.instance();
        if (runtime instanceof TransactionalRuntime) {
            return ((TransactionalRuntime) runtime).memory();
        }
        throw new IllegalStateException("instrumented card code runs outside a TransactionalCard");
    }

    // ---------------------------------------------------------------- fields (announced before PUTFIELD/PUTSTATIC)

    /** Before {@code owner.name = ...}: every object of the card classes is persistent (Java Card 3.0.5 JCRE 5). */
    public static void putField(Object owner, Class<?> declaredIn, String name) {
        PersistentMemory memory = memory();
        if (owner == null) {
            // the PUTFIELD that follows throws the NullPointerException; no event, no write
            return;
        }
        Field field = field(declaredIn, name);
        Object old = get(field, owner);
        memory.write(() -> set(field, owner, old), true, owner, Slots.field(field));
    }

    /** Before {@code Class.name = ...} outside a static initializer. */
    public static void putStatic(Class<?> declaredIn, String name) {
        PersistentMemory memory = memory();
        Field field = field(declaredIn, name);
        Object old = get(field, null);
        memory.write(() -> set(field, null, old), true, field.getDeclaringClass(), Slots.field(field));
    }

    // ---------------------------------------------------------------- array stores (replace xASTORE)

    /** BASTORE, which the JVM uses for byte[] and boolean[] alike. */
    public static void bastore(Object array, int index, int value) {
        if (array instanceof boolean[]) {
            boolean[] a = (boolean[]) array;
            boolean old = a[index];
            PersistentMemory memory = memory();
            if (memory.isPersistent(a)) {
                memory.write(() -> a[index] = old, true, a, Slots.index(index));
            }
            a[index] = (value & 1) != 0;
            return;
        }
        byte[] a = (byte[]) array;
        byte old = a[index];
        PersistentMemory memory = memory();
        if (memory.isPersistent(a)) {
            memory.write(() -> a[index] = old, true, a, Slots.index(index));
        }
        a[index] = (byte) value;
    }

    public static void sastore(short[] a, int index, int value) {
        short old = a[index];
        PersistentMemory memory = memory();
        if (memory.isPersistent(a)) {
            memory.write(() -> a[index] = old, true, a, Slots.index(index));
        }
        a[index] = (short) value;
    }

    public static void iastore(int[] a, int index, int value) {
        int old = a[index];
        PersistentMemory memory = memory();
        if (memory.isPersistent(a)) {
            memory.write(() -> a[index] = old, true, a, Slots.index(index));
        }
        a[index] = value;
    }

    public static void aastore(Object[] a, int index, Object value) {
        Object old = a[index];
        if (value != null && !a.getClass().getComponentType().isInstance(value)) {
            throw new ArrayStoreException(value.getClass().getName());
        }
        PersistentMemory memory = memory();
        if (memory.isPersistent(a)) {
            memory.write(() -> a[index] = old, true, a, Slots.index(index));
        }
        a[index] = value;
    }

    // ---------------------------------------------------------------- javacard.framework.Util

    /** Atomic (Java Card API: "the copy is atomic"; inside a transaction, part of it): one event. */
    public static short arrayCopy(byte[] src, short srcOff, byte[] dest, short destOff, short length) {
        PersistentMemory memory = memory();
        if (dest == null || !memory.isPersistent(dest)) {
            return Util.arrayCopy(src, srcOff, dest, destOff, length);
        }
        checkRange(src, srcOff, length);
        checkRange(dest, destOff, length);
        byte[] old = Arrays.copyOfRange(dest, destOff, destOff + length);
        memory.write(restore(dest, destOff, old), true, dest, Slots.range(destOff, length));
        System.arraycopy(src, srcOff, dest, destOff, length);
        return (short) (destOff + length);
    }

    /** Not atomic and never journaled: each byte into a persistent array is its own event. */
    public static short arrayCopyNonAtomic(byte[] src, short srcOff, byte[] dest, short destOff, short length) {
        PersistentMemory memory = memory();
        if (dest == null || !memory.isPersistent(dest)) {
            return Util.arrayCopyNonAtomic(src, srcOff, dest, destOff, length);
        }
        checkRange(src, srcOff, length);
        checkRange(dest, destOff, length);
        byte[] bytes = Arrays.copyOfRange(src, srcOff, srcOff + length);
        for (int i = 0; i < length; i++) {
            storeNonAtomic(memory, dest, destOff + i, bytes[i]);
        }
        return (short) (destOff + length);
    }

    /** Not atomic and never journaled: each byte into a persistent array is its own event. */
    public static short arrayFillNonAtomic(byte[] bArray, short bOff, short bLen, byte bValue) {
        PersistentMemory memory = memory();
        if (bArray == null || !memory.isPersistent(bArray)) {
            return Util.arrayFillNonAtomic(bArray, bOff, bLen, bValue);
        }
        checkRange(bArray, bOff, bLen);
        for (int i = 0; i < bLen; i++) {
            storeNonAtomic(memory, bArray, bOff + i, bValue);
        }
        return (short) (bOff + bLen);
    }

    /** Atomic for persistent arrays (it may throw TransactionException, so it uses the commit buffer): one event. */
    public static short setShort(byte[] bArray, short bOff, short sValue) {
        PersistentMemory memory = memory();
        if (bArray == null || !memory.isPersistent(bArray)) {
            return Util.setShort(bArray, bOff, sValue);
        }
        checkRange(bArray, bOff, (short) 2);
        byte[] old = Arrays.copyOfRange(bArray, bOff, bOff + 2);
        memory.write(restore(bArray, bOff, old), true, bArray, Slots.range(bOff, (short) 2));
        bArray[bOff] = (byte) (sValue >> 8);
        bArray[bOff + 1] = (byte) sValue;
        return (short) (bOff + 2);
    }

    private static void storeNonAtomic(PersistentMemory memory, byte[] dest, int at, byte value) {
        byte old = dest[at];
        memory.write(() -> dest[at] = old, false, dest, Slots.index(at));
        dest[at] = value;
    }

    // ---------------------------------------------------------------- keys

    /**
     * {@code DESKey.setKey} / {@code AESKey.setKey}: a persistent key's value is persistent state; the
     * model treats the update as one atomic event, journaled inside a transaction (see docs/reliability.md).
     */
    public static void setKey(Key key, byte[] keyData, short kOff) {
        PersistentMemory memory = memory();
        if (key == null) {
            throw new NullPointerException();
        }
        if (isTransient(memory, key)) {
            callSetKey(key, keyData, kOff);
            return;
        }
        checkRange(keyData, kOff, (short) (key.getSize() / 8));
        memory.write(restoreKey(key), true, key, Slots.KEY);
        callSetKey(key, keyData, kOff);
    }

    /** {@code Key.clearKey}: one event on a persistent key, journaled inside a transaction. */
    public static void clearKey(Key key) {
        PersistentMemory memory = memory();
        if (key == null) {
            throw new NullPointerException();
        }
        if (!isTransient(memory, key)) {
            memory.write(restoreKey(key), true, key, Slots.KEY);
        }
        key.clearKey();
    }

    private static boolean isTransient(PersistentMemory memory, Key key) {
        if (KeyTypes.isTransient(key.getType())) {
            memory.registerTransientKey(key);
            return true;
        }
        return false;
    }

    private static void callSetKey(Key key, byte[] keyData, short kOff) {
        if (key instanceof DESKey) {
            ((DESKey) key).setKey(keyData, kOff);
        } else if (key instanceof AESKey) {
            ((AESKey) key).setKey(keyData, kOff);
        } else {
            throw new UnsupportedOperationException("setKey on " + key.getClass().getName() + " is not modelled");
        }
    }

    private static PersistentMemory.Undo restoreKey(Key key) {
        if (!key.isInitialized()) {
            return key::clearKey;
        }
        byte[] old = KeyTypes.value(key);
        return () -> callSetKey(key, old, (short) 0);
    }

    // ---------------------------------------------------------------- platform APIs writing into caller arrays

    /** An API call that writes its result into {@code out} from {@code outOff}; returns the bytes written. */
    @FunctionalInterface
    private interface Output {
        int into(byte[] out);
    }

    /**
     * Cipher, signature, digest, random and key-export output into a persistent array: the API gives no
     * atomicity for it, so the model gives none: the call runs into a scratch copy, then each byte written
     * is its own event, never journaled (like {@code arrayCopyNonAtomic}); torn after k bytes, the first k
     * are new and the rest old, and an abort does not undo them. Into a transient array (the APDU buffer,
     * scratch arrays) the call runs as it is, with no event.
     */
    private static int platformOutput(byte[] out, short outOff, Output call) {
        PersistentMemory memory = memory();
        if (out == null || !memory.isPersistent(out)) {
            return call.into(out);
        }
        byte[] scratch = out.clone();
        int written = call.into(scratch);
        checkRange(out, outOff, (short) written);
        for (int i = 0; i < written; i++) {
            storeNonAtomic(memory, out, outOff + i, scratch[outOff + i]);
        }
        return written;
    }

    public static short doFinal(Cipher cipher, byte[] in, short inOff, short inLen, byte[] out, short outOff) {
        return (short) platformOutput(out, outOff, o -> cipher.doFinal(in, inOff, inLen, o, outOff));
    }

    public static short update(Cipher cipher, byte[] in, short inOff, short inLen, byte[] out, short outOff) {
        return (short) platformOutput(out, outOff, o -> cipher.update(in, inOff, inLen, o, outOff));
    }

    public static short sign(Signature signature, byte[] in, short inOff, short inLen, byte[] sig, short sigOff) {
        return (short) platformOutput(sig, sigOff, o -> signature.sign(in, inOff, inLen, o, sigOff));
    }

    public static short doFinal(MessageDigest digest, byte[] in, short inOff, short inLen, byte[] out, short outOff) {
        return (short) platformOutput(out, outOff, o -> digest.doFinal(in, inOff, inLen, o, outOff));
    }

    public static short nextBytes(RandomData random, byte[] buffer, short offset, short length) {
        platformOutput(buffer, offset, o -> {
            random.nextBytes(o, offset, length);
            return length;
        });
        return (short) (offset + length);
    }

    /** Deprecated in 3.0.5 but still callable by card code, so still barriered. */
    @SuppressWarnings("deprecation")
    public static void generateData(RandomData random, byte[] buffer, short offset, short length) {
        platformOutput(buffer, offset, o -> {
            random.generateData(o, offset, length);
            return length;
        });
    }

    /** {@code getKey(byte[], short)} of a secret key: the key's bytes into the caller's array. */
    public static byte getKey(Key key, byte[] keyData, short kOff) {
        return (byte) platformOutput(keyData, kOff, o -> {
            if (key instanceof DESKey) {
                return ((DESKey) key).getKey(o, kOff);
            }
            if (key instanceof AESKey) {
                return ((AESKey) key).getKey(o, kOff);
            }
            if (key instanceof HMACKey) {
                return ((HMACKey) key).getKey(o, kOff);
            }
            throw new UnsupportedOperationException("getKey on " + key.getClass().getName() + " is not modelled");
        });
    }

    // ---------------------------------------------------------------- helpers

    private static PersistentMemory.Undo restore(byte[] array, int offset, byte[] old) {
        return () -> System.arraycopy(old, 0, array, offset, old.length);
    }

    /** What System.arraycopy would throw, before any event. */
    private static void checkRange(byte[] array, short offset, short length) {
        if (array == null) {
            throw new NullPointerException();
        }
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new ArrayIndexOutOfBoundsException();
        }
    }

    static Field field(Class<?> declaredIn, String name) {
        return FIELDS.get(declaredIn).computeIfAbsent(name, n -> resolve(declaredIn, n));
    }

    private static Field resolve(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    f.setAccessible(true);
                    return f;
                }
            }
        }
        throw new IllegalStateException("no field " + name + " in " + type.getName());
    }

    private static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Field field, Object owner, Object value) {
        if (Modifier.isFinal(field.getModifiers())) {
            throw new IllegalStateException("final field written outside a constructor: " + field);
        }
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
