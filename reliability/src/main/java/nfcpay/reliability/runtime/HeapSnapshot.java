package nfcpay.reliability.runtime;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javacard.framework.Applet;
import javacard.framework.OwnerPIN;
import javacard.security.Key;

/**
 * Every persistent value reachable from the installed applets at one instant: the fields of card-class
 * objects, the elements of persistent arrays, the values of persistent keys, and the value, length and
 * try counter of each {@code OwnerPIN} (not its validated flag, which is transient). Transient arrays and
 * keys and other platform objects (ciphers, signatures, AIDs) are not values here; a reference to one is,
 * by identity. Two snapshots of one card compare exactly ({@link #diff}), which is the test oracle for
 * "nothing changed" and the cross-check of the write barrier ({@link #unaudited}).
 */
public final class HeapSnapshot {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /** One persistent location that differs between two snapshots. */
    public record Change(String path, String slot, Object object, Object before, Object after) {
        @Override
        public String toString() {
            return path + (slot.startsWith("[") ? "" : " ") + slot + ": " + show(before) + " -> " + show(after);
        }
    }

    /** A reference value: equal only to a reference to the same object. */
    private record Ref(Object target) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Ref ref && ref.target == target;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(target);
        }

        @Override
        public String toString() {
            return target == null ? "null" : target.getClass().getSimpleName() + "@" + Integer.toHexString(hashCode());
        }
    }

    /**
     * The recorded state of one object: slot names and values, parallel; for a primitive array, a copy
     * of it ({@code copy}) instead, compared element by element only when it differs.
     */
    private record State(String path, String[] slots, Object[] values, Object copy) {
        State(String path, String[] slots, Object[] values) {
            this(path, slots, values, null);
        }

        int size() {
            return copy != null ? Array.getLength(copy) : values.length;
        }
    }

    private final Map<Object, State> states = new IdentityHashMap<>();
    private final List<Object> order = new ArrayList<>();

    private HeapSnapshot() {}

    static HeapSnapshot of(Map<String, Applet> roots, PersistentMemory memory) {
        HeapSnapshot snapshot = new HeapSnapshot();
        ArrayDeque<Object[]> queue = new ArrayDeque<>();
        roots.forEach((aid, applet) -> queue.add(new Object[] {applet, aid + "/" + applet.getClass().getSimpleName()}));
        Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        while (!queue.isEmpty()) {
            Object[] next = queue.poll();
            Object object = next[0];
            if (object == null || !seen.add(object)) {
                continue;
            }
            snapshot.record(object, (String) next[1], memory, queue);
        }
        return snapshot;
    }

    private void record(Object object, String path, PersistentMemory memory, ArrayDeque<Object[]> queue) {
        Class<?> type = object.getClass();
        if (type.isArray()) {
            if (!memory.isPersistent(object)) {
                return;
            }
            if (type.getComponentType().isPrimitive()) {
                put(object, new State(path, null, null, copyOf(object)));
                return;
            }
            Object[] elements = (Object[]) object;
            String[] slots = new String[elements.length];
            Object[] values = new Object[elements.length];
            for (int i = 0; i < elements.length; i++) {
                slots[i] = Slots.index(i);
                values[i] = new Ref(elements[i]);
                queue.add(new Object[] {elements[i], path + "[" + i + "]"});
            }
            put(object, new State(path, slots, values));
        } else if (object instanceof Key key) {
            if (KeyTypes.isTransient(key.getType())) {
                return;
            }
            String value = key.isInitialized() ? HEX.formatHex(KeyTypes.value(key)) : "uninitialized";
            put(object, new State(path, new String[] {Slots.KEY}, new Object[] {value}));
        } else if (object instanceof OwnerPIN pin) {
            put(object, new State(path, new String[] {Slots.PIN_VALUE, Slots.PIN_LENGTH, Slots.PIN_TRIES},
                    new Object[] {HEX.formatHex(PinBarrier.value(pin)), PinBarrier.length(pin), PinBarrier.triesLeft(pin)}));
        } else if (type.getClassLoader() instanceof CardClassLoader) {
            List<String> slots = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (Class<?> c = type; c != null && c.getClassLoader() instanceof CardClassLoader; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object value;
                    try {
                        value = f.get(object);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                    slots.add(Slots.field(f));
                    if (f.getType().isPrimitive()) {
                        values.add(value);
                    } else {
                        values.add(new Ref(value));
                        queue.add(new Object[] {value, path + "." + f.getName()});
                    }
                }
            }
            put(object, new State(path, slots.toArray(new String[0]), values.toArray()));
        }
        // anything else (Cipher, Signature, RandomData, AID, platform objects) is a leaf: kept by reference only
    }

    private void put(Object object, State state) {
        states.put(object, state);
        order.add(object);
    }

    /** Number of persistent values recorded. */
    public int size() {
        int n = 0;
        for (State s : states.values()) {
            n += s.size();
        }
        return n;
    }

    private static Object copyOf(Object primitiveArray) {
        int length = Array.getLength(primitiveArray);
        Object copy = Array.newInstance(primitiveArray.getClass().getComponentType(), length);
        System.arraycopy(primitiveArray, 0, copy, 0, length);
        return copy;
    }

    private static boolean sameArray(Object a, Object b) {
        if (a instanceof byte[] x) {
            return java.util.Arrays.equals(x, (byte[]) b);
        }
        if (a instanceof short[] x) {
            return java.util.Arrays.equals(x, (short[]) b);
        }
        if (a instanceof boolean[] x) {
            return java.util.Arrays.equals(x, (boolean[]) b);
        }
        if (a instanceof int[] x) {
            return java.util.Arrays.equals(x, (int[]) b);
        }
        throw new IllegalStateException("not modelled: " + a.getClass());
    }

    /** What differs from {@code earlier} to this snapshot, including objects only one of them reaches. */
    public List<Change> diff(HeapSnapshot earlier) {
        List<Change> changes = new ArrayList<>();
        for (Object object : order) {
            State now = states.get(object);
            State then = earlier.states.get(object);
            if (then == null) {
                changes.add(new Change(now.path(), "(newly reachable)", object, null, "reachable"));
                continue;
            }
            if (now.copy() != null) {
                if (!sameArray(now.copy(), then.copy())) {
                    for (int i = 0; i < Array.getLength(now.copy()); i++) {
                        Object a = Array.get(then.copy(), i);
                        Object b = Array.get(now.copy(), i);
                        if (!a.equals(b)) {
                            changes.add(new Change(now.path(), Slots.index(i), object, a, b));
                        }
                    }
                }
                continue;
            }
            for (int i = 0; i < now.values().length; i++) {
                if (!Objects.equals(now.values()[i], then.values()[i])) {
                    changes.add(new Change(now.path(), now.slots()[i], object, then.values()[i], now.values()[i]));
                }
            }
        }
        for (Object object : earlier.order) {
            if (!states.containsKey(object)) {
                State then = earlier.states.get(object);
                changes.add(new Change(then.path(), "(no longer reachable)", object, "reachable", null));
            }
        }
        return changes;
    }

    /** The changes that no barrier call recorded: persistent writes the model missed. */
    public static List<Change> unaudited(List<Change> changes, Map<Object, Set<String>> audited) {
        List<Change> missed = new ArrayList<>();
        for (Change change : changes) {
            Set<String> slots = audited.get(change.object());
            if (slots == null || !slots.contains(change.slot())) {
                missed.add(change);
            }
        }
        return missed;
    }

    private static String show(Object value) {
        if (value instanceof Byte b) {
            return String.format("%02X", b);
        }
        return String.valueOf(value);
    }
}
