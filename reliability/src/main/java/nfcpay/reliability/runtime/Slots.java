package nfcpay.reliability.runtime;

import java.lang.reflect.Field;

/** Names of persistent locations, shared by the write audit and {@link HeapSnapshot}. */
final class Slots {

    static final String KEY = "key";
    /** An {@code OwnerPIN}'s persistent state (see {@link PinBarrier}). */
    static final String PIN_VALUE = "OwnerPIN.value";
    static final String PIN_LENGTH = "OwnerPIN.length";
    static final String PIN_TRIES = "OwnerPIN.tries";

    private Slots() {}

    static String field(Field field) {
        return field.getDeclaringClass().getSimpleName() + "." + field.getName();
    }

    static String index(int index) {
        return "[" + index + "]";
    }

    static String[] range(short offset, short length) {
        String[] slots = new String[length];
        for (int i = 0; i < length; i++) {
            slots[i] = index(offset + i);
        }
        return slots;
    }
}
