package nfcpay.card.selector;

import javacard.framework.AID;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.AESKey;
import javacard.security.KeyBuilder;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;

/**
 * The selector's persistent registry of card applications (docs/protocol.md 2.4): per slot the AID
 * (the registration ID), label, priority, an active flag, a "new" flag, the registration sequence number that
 * breaks priority ties, and the application's credential as two AES-128 keys. A slot with AID length 0 is free.
 *
 * <p>Every registration (first or repeated) starts new: inactive and after every application that is not new,
 * until the holder activates it under the PIN (SET STATUS, docs/protocol.md 5.4). Registration proves only
 * that the caller is itself, so what it declares about itself (its priority) is a hint: applied when the holder
 * first activates it, and only while the holder has not set an order (docs/protocol.md 5.5); from then on the
 * holder's order rules and a new application keeps its place at the end.
 *
 * <p>Everything is allocated once, in the constructor; the arrays are parallel, indexed by slot.
 */
final class Registry {

    static final short CAPACITY = Wire.SELECTOR_REGISTRY_CAPACITY;
    /** ISO 7816-5: an AID is 5..16 bytes. */
    static final short AID_MAX = 16;
    static final short NO_SLOT = -1;

    private final byte[] aids = new byte[(short) (CAPACITY * AID_MAX)];
    private final byte[] aidLengths = new byte[CAPACITY];
    private final byte[] labels = new byte[(short) (CAPACITY * Link.LABEL_MAX)];
    private final byte[] labelLengths = new byte[CAPACITY];
    private final byte[] priorities = new byte[CAPACITY];
    /** In the PPSE and smart selection: only the holder switches an application on (SET STATUS under the PIN). */
    private final boolean[] active = new boolean[CAPACITY];
    /** Registered (or re-registered) and not yet activated or deactivated by the holder: listed as new, ordered last. */
    private final boolean[] fresh = new boolean[CAPACITY];
    /** The priority the registrant asked for; applied at the holder's first activation unless the holder set an order. */
    private final byte[] hints = new byte[CAPACITY];
    private final short[] sequence = new short[CAPACITY];
    private short nextSequence;
    /** Set by the holder's first SET PRIORITY ORDER: registrations no longer choose their priority. */
    private boolean holderOrder;
    private final AESKey[] encKeys = new AESKey[CAPACITY];
    private final AESKey[] macKeys = new AESKey[CAPACITY];

    Registry() {
        for (short slot = 0; slot < CAPACITY; slot++) {
            encKeys[slot] = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
            macKeys[slot] = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
        }
    }

    boolean isUsed(short slot) {
        return aidLengths[slot] != 0;
    }

    boolean isActive(short slot) {
        return active[slot];
    }

    /** Registered and not yet seen by the holder (neither activated nor deactivated since). */
    boolean isNew(short slot) {
        return fresh[slot];
    }

    byte priority(short slot) {
        return priorities[slot];
    }

    AESKey encKey(short slot) {
        return encKeys[slot];
    }

    AESKey macKey(short slot) {
        return macKeys[slot];
    }

    /** The installed applet behind the slot, or null when it has been deleted. */
    AID lookup(short slot) {
        return JCSystem.lookupAID(aids, (short) (slot * AID_MAX), aidLengths[slot]);
    }

    /** The slot registered under this AID, or {@link #NO_SLOT}. */
    short find(byte[] aid, short offset, byte length) {
        for (short slot = 0; slot < CAPACITY; slot++) {
            if (aidLengths[slot] == length
                    && Util.arrayCompare(aids, (short) (slot * AID_MAX), aid, offset, length) == 0) {
                return slot;
            }
        }
        return NO_SLOT;
    }

    /** A free slot, or {@link #NO_SLOT} when the registry is full. */
    short freeSlot() {
        for (short slot = 0; slot < CAPACITY; slot++) {
            if (aidLengths[slot] == 0) {
                return slot;
            }
        }
        return NO_SLOT;
    }

    /**
     * Stores (or, for a slot that already holds this AID, replaces) an entry and its credential
     * (AES-128 encryption key | AES-128 CMAC key) in one transaction. Either way the entry is new: inactive,
     * after every application that is not new (a fresh sequence number, the priority after the last in use),
     * and {@code priority} is kept only as a hint for the holder's first activation ({@link #setActive}).
     */
    void put(short slot, byte[] aid, short aidOffset, byte aidLength, byte[] label, short labelOffset,
            byte labelLength, byte priority, byte[] credential, short credentialOffset) {
        boolean own = Transactions.begin();
        byte last = endOfOrder();
        if (nextSequence == Short.MAX_VALUE) {
            renumber();
        }
        sequence[slot] = nextSequence;
        nextSequence++;
        active[slot] = false;
        fresh[slot] = true;
        hints[slot] = priority;
        Util.arrayCopy(aid, aidOffset, aids, (short) (slot * AID_MAX), aidLength);
        aidLengths[slot] = aidLength;
        Util.arrayCopy(label, labelOffset, labels, (short) (slot * Link.LABEL_MAX), labelLength);
        labelLengths[slot] = labelLength;
        priorities[slot] = last;
        encKeys[slot].setKey(credential, credentialOffset);
        macKeys[slot].setKey(credential, (short) (credentialOffset + Link.AES_KEY_LENGTH));
        Transactions.commit(own);
    }

    /** Drops every entry whose application {@code JCSystem.lookupAID} no longer finds (deleted). */
    void purgeDeleted() {
        for (short slot = 0; slot < CAPACITY; slot++) {
            if (aidLengths[slot] != 0 && lookup(slot) == null) {
                remove(slot);
            }
        }
    }

    /** Frees a slot and destroys its credential (AID and label are not secret; length 0 frees the slot). */
    void remove(short slot) {
        boolean own = Transactions.begin();
        encKeys[slot].clearKey();
        macKeys[slot].clearKey();
        aidLengths[slot] = 0;
        labelLengths[slot] = 0;
        priorities[slot] = 0;
        active[slot] = false;
        fresh[slot] = false;
        hints[slot] = 0;
        sequence[slot] = 0;
        Transactions.commit(own);
    }

    /** The priority after the last one in use (at most {@link Link#PRIORITY_MAX}; ties keep registration order). */
    private byte endOfOrder() {
        byte last = 0;
        for (short slot = 0; slot < CAPACITY; slot++) {
            if (aidLengths[slot] != 0 && priorities[slot] > last) {
                last = priorities[slot];
            }
        }
        return last < Link.PRIORITY_MAX ? (byte) (last + 1) : Link.PRIORITY_MAX;
    }

    /**
     * The holder's SET STATUS, inside the caller's transaction. A new application activated for the first time
     * takes the priority its registration asked for, unless the holder has set an order (then it stays last);
     * either answer of the holder ends "new". Idempotent: the selector may repeat it after the application ended
     * the transaction.
     */
    void setActive(short slot, boolean on) {
        if (fresh[slot] && on && !holderOrder) {
            priorities[slot] = hints[slot];
        }
        fresh[slot] = false;
        active[slot] = on;
    }

    /** Registered applications the holder has not deactivated. */
    short activeCount() {
        short count = 0;
        for (short slot = 0; slot < CAPACITY; slot++) {
            if (aidLengths[slot] != 0 && active[slot]) {
                count++;
            }
        }
        return count;
    }

    /**
     * The holder's order: {@code slots[offset .. offset + count)} lists every registered slot once, first
     * to last. They get priorities 1, 2, ... (the 16th shares 15 with the 15th and follows it, since the
     * sequence numbers are renumbered in the same order), in one transaction.
     */
    void applyOrder(byte[] slots, short offset, short count) {
        boolean own = Transactions.begin();
        for (short k = 0; k < count; k++) {
            short slot = slots[(short) (offset + k)];
            priorities[slot] = k < Link.PRIORITY_MAX ? (byte) (k + 1) : Link.PRIORITY_MAX;
            sequence[slot] = k;
        }
        nextSequence = count;
        holderOrder = true;
        Transactions.commit(own);
    }

    /** Registered, active applications in priority order; see {@link #order}. */
    short orderActive(byte[] order, short offset) {
        return order(order, offset, true);
    }

    /** Every registered application, deactivated ones included, in priority order; see {@link #order}. */
    short orderAll(byte[] order, short offset) {
        return order(order, offset, false);
    }

    /**
     * Writes the slots of the registered (and, when {@code activeOnly}, active) applications into
     * {@code order[offset ..]}, ascending priority (1 first), ties in registration order, and returns how
     * many there are. Insertion sort: at most 16 entries.
     */
    private short order(byte[] order, short offset, boolean activeOnly) {
        short count = 0;
        for (short slot = 0; slot < CAPACITY; slot++) {
            if (aidLengths[slot] == 0 || (activeOnly && !active[slot])) {
                continue;
            }
            short at = (short) (offset + count);
            while (at > offset && comesBefore(slot, order[(short) (at - 1)])) {
                order[at] = order[(short) (at - 1)];
                at--;
            }
            order[at] = (byte) slot;
            count++;
        }
        return count;
    }

    /** New applications after every other one, whatever their priority numbers; then priority; then registration. */
    private boolean comesBefore(short a, short b) {
        if (fresh[a] != fresh[b]) {
            return fresh[b];
        }
        if (priorities[a] != priorities[b]) {
            return priorities[a] < priorities[b];
        }
        return sequence[a] < sequence[b];
    }

    /** True when the slot's AID starts with {@code prefix[offset .. offset + length)} (length 0: every slot). */
    boolean aidStartsWith(short slot, byte[] prefix, short offset, short length) {
        return length <= aidLengths[slot]
                && Util.arrayCompare(aids, (short) (slot * AID_MAX), prefix, offset, length) == 0;
    }

    /** Length of {@code 4F <AID> 50 <label> 87 01 <priority>} for a slot. */
    short entryLength(short slot) {
        return (short) (2 + aidLengths[slot] + 2 + labelLengths[slot] + 3);
    }

    /** Writes {@code 4F <AID> 50 <label> 87 01 <priority>} at {@code offset}; returns the offset after it. */
    short writeEntry(short slot, byte[] out, short offset) {
        out[offset++] = Wire.TAG_AID;
        out[offset++] = aidLengths[slot];
        offset = Util.arrayCopyNonAtomic(aids, (short) (slot * AID_MAX), out, offset, aidLengths[slot]);
        out[offset++] = Wire.TAG_LABEL;
        out[offset++] = labelLengths[slot];
        offset = Util.arrayCopyNonAtomic(labels, (short) (slot * Link.LABEL_MAX), out, offset, labelLengths[slot]);
        out[offset++] = Wire.TAG_PRIORITY;
        out[offset++] = (byte) 1;
        out[offset++] = priorities[slot];
        return offset;
    }

    /**
     * Sequence numbers only order entries; when the counter would overflow (after 32767 registrations)
     * the live entries are renumbered 0..n-1 in their current order. Runs inside the caller's transaction.
     * Rank k takes the smallest old number >= k: the old numbers are distinct, so the k-th smallest is
     * at least k, and every number already handed out is below k.
     */
    private void renumber() {
        short next = 0;
        for (short rank = 0; rank < CAPACITY; rank++) {
            short lowest = NO_SLOT;
            for (short slot = 0; slot < CAPACITY; slot++) {
                if (aidLengths[slot] != 0 && sequence[slot] >= next
                        && (lowest == NO_SLOT || sequence[slot] < sequence[lowest])) {
                    lowest = slot;
                }
            }
            if (lowest == NO_SLOT) {
                break;
            }
            sequence[lowest] = next;
            next++;
        }
        nextSequence = next;
    }
}
