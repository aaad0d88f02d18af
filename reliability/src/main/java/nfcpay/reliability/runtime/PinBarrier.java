package nfcpay.reliability.runtime;

import java.lang.reflect.Field;
import java.util.Arrays;
import javacard.framework.OwnerPIN;
import javacard.framework.PIN;
import javacard.framework.PINException;
import javacard.framework.Util;

/**
 * {@code OwnerPIN} as the Java Card 3.0.5 API specifies it, over jcardsim's own object: {@link Instrumenter}
 * redirects the card classes' calls of {@code check}, {@code update}, {@code reset} and
 * {@code resetAndUnblock} (on {@code OwnerPIN} or through the {@code PIN} interface) here, and these
 * methods change jcardsim's fields through {@link PersistentMemory}, so that every persistent PIN write is
 * a tear point, is journaled or not as the API says, and is seen by the write audit and the checkpoint.
 * The reads ({@code getTriesRemaining}, {@code isValidated}) stay jcardsim's.
 *
 * <ul>
 *   <li>The PIN value, its length and the try counter are persistent. The validated flag is jcardsim's
 *       {@code CLEAR_ON_RESET} transient array (the API requires that kind), cleared by a power cycle and
 *       never journaled.</li>
 *   <li>{@code check}: "even if a transaction is in progress, update of internal state - the try counter,
 *       the validated flag, and the blocking state, shall not participate in the transaction". The try is
 *       spent first, one event, never journaled; only then is the candidate looked at, and a match writes
 *       the counter back to the limit (a second event, likewise). A tear can therefore cost a try but
 *       never give one back, and a comparison never happens without its try spent.</li>
 *   <li>{@code update}: "if a transaction is in progress, the new pin and try counter update must be
 *       conditional i.e the copy operation must use the transaction facility": value, length and counter
 *       are three events, journaled inside a transaction. Outside one the API promises no atomicity, and
 *       the model gives none: a tear between them leaves a PIN that is neither the old nor the new.</li>
 *   <li>{@code resetAndUnblock}, and {@code reset} when the flag is set: the counter back to the limit,
 *       one event, never journaled (the API says of both what it says of {@code check}).</li>
 * </ul>
 *
 * <p>Public because instrumented classes live in another class loader; not an API for anything else.
 */
public final class PinBarrier {

    private static final Field VALUE = field("pinValue");
    private static final Field LENGTH = field("pinSize");
    private static final Field TRIES = field("triesLeft");
    private static final Field LIMIT = field("tryLimit");
    private static final Field MAX_LENGTH = field("maxPINSize");
    private static final Field FLAGS = field("flags");

    private PinBarrier() {}

    // ---------------------------------------------------------------- OwnerPIN

    public static boolean check(OwnerPIN pin, byte[] candidate, short offset, byte length) {
        PersistentMemory memory = Barrier.memory();
        byte[] tries = tries(pin);
        setValidated(pin, false);
        boolean blocked = tries[0] == 0;
        if (!blocked) {
            writeTries(memory, pin, (byte) (tries[0] - 1), false);
        }
        // API: NullPointerException and ArrayIndexOutOfBoundsException come after the try is spent.
        if (candidate == null) {
            throw new NullPointerException();
        }
        if (offset < 0 || length < 0 || offset + length > candidate.length) {
            throw new ArrayIndexOutOfBoundsException();
        }
        if (blocked || length != length(pin)
                || Util.arrayCompare(candidate, offset, value(pin), (short) 0, length) != 0) {
            return false;
        }
        setValidated(pin, true);
        writeTries(memory, pin, limit(pin), false);
        return true;
    }

    public static void update(OwnerPIN pin, byte[] newValue, short offset, byte length) {
        PersistentMemory memory = Barrier.memory();
        if (length > get(MAX_LENGTH, pin, Byte.class)) {
            PINException.throwIt(PINException.ILLEGAL_VALUE);
        }
        if (newValue == null) {
            throw new NullPointerException();
        }
        if (offset < 0 || length < 0 || offset + length > newValue.length) {
            throw new ArrayIndexOutOfBoundsException();
        }
        byte[] value = value(pin);
        byte[] oldValue = Arrays.copyOf(value, length);
        memory.write(() -> System.arraycopy(oldValue, 0, value, 0, oldValue.length), true, pin, Slots.PIN_VALUE);
        System.arraycopy(newValue, offset, value, 0, length);
        byte oldLength = length(pin);
        memory.write(() -> set(LENGTH, pin, oldLength), true, pin, Slots.PIN_LENGTH);
        set(LENGTH, pin, length);
        writeTries(memory, pin, limit(pin), true);
        setValidated(pin, false);
    }

    public static void reset(OwnerPIN pin) {
        if (pin.isValidated()) {
            resetAndUnblock(pin);
        }
    }

    public static void resetAndUnblock(OwnerPIN pin) {
        PersistentMemory memory = Barrier.memory();
        writeTries(memory, pin, limit(pin), false);
        setValidated(pin, false);
    }

    // ---------------------------------------------------------------- through the PIN interface

    /** {@code PIN.check}: modelled for an {@code OwnerPIN}; a card class's own PIN is instrumented itself. */
    public static boolean check(PIN pin, byte[] candidate, short offset, byte length) {
        if (pin instanceof OwnerPIN owner) {
            return check(owner, candidate, offset, length);
        }
        return pin.check(candidate, offset, length);
    }

    public static void reset(PIN pin) {
        if (pin instanceof OwnerPIN owner) {
            reset(owner);
        } else {
            pin.reset();
        }
    }

    // ---------------------------------------------------------------- state, for HeapSnapshot

    /** The PIN's persistent value array (the whole array: a shorter PIN leaves the old bytes behind it). */
    static byte[] value(OwnerPIN pin) {
        return get(VALUE, pin, byte[].class);
    }

    static byte length(OwnerPIN pin) {
        return get(LENGTH, pin, Byte.class);
    }

    static byte triesLeft(OwnerPIN pin) {
        return tries(pin)[0];
    }

    // ---------------------------------------------------------------- helpers

    private static void writeTries(PersistentMemory memory, OwnerPIN pin, byte value, boolean transactional) {
        byte[] tries = tries(pin);
        byte old = tries[0];
        memory.write(() -> tries[0] = old, transactional, pin, Slots.PIN_TRIES);
        tries[0] = value;
    }

    private static byte[] tries(OwnerPIN pin) {
        return get(TRIES, pin, byte[].class);
    }

    private static byte limit(OwnerPIN pin) {
        return get(LIMIT, pin, Byte.class);
    }

    /** jcardsim's validated flag: a CLEAR_ON_RESET boolean[1], which the runtime knows as transient. */
    private static void setValidated(OwnerPIN pin, boolean value) {
        get(FLAGS, pin, boolean[].class)[0] = value;
    }

    private static Field field(String name) {
        try {
            Field f = OwnerPIN.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("jcardsim's OwnerPIN has no field " + name
                    + ": the PIN model is written against jcardsim 3.0.5.11");
        }
    }

    private static <T> T get(Field field, OwnerPIN pin, Class<T> type) {
        try {
            return type.cast(field.get(pin));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Field field, OwnerPIN pin, byte value) {
        try {
            field.setByte(pin, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
