package nfcpay.reliability.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import javacard.security.AESKey;
import javacard.security.DESKey;
import javacard.security.Key;
import javacard.security.KeyBuilder;

/** Which key types are transient (KeyBuilder.TYPE_*_TRANSIENT_*), and a key's value for the journal. */
final class KeyTypes {

    private static final Set<Byte> TRANSIENT = transientTypes();

    private KeyTypes() {}

    static boolean isTransient(byte type) {
        return TRANSIENT.contains(type);
    }

    /** The key bytes of an initialized DES or AES key. */
    static byte[] value(Key key) {
        byte[] value = new byte[key.getSize() / 8];
        if (key instanceof DESKey) {
            ((DESKey) key).getKey(value, (short) 0);
        } else if (key instanceof AESKey) {
            ((AESKey) key).getKey(value, (short) 0);
        } else {
            throw new UnsupportedOperationException(key.getClass().getName() + " is not modelled");
        }
        return value;
    }

    private static Set<Byte> transientTypes() {
        Set<Byte> types = new HashSet<>();
        for (Field f : KeyBuilder.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == byte.class
                    && f.getName().startsWith("TYPE_") && f.getName().contains("TRANSIENT")) {
                try {
                    types.add(f.getByte(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return types;
    }
}
