package nfcpay.reliability.runtime;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import javacard.framework.TransactionException;
import javacard.security.Key;

/**
 * The persistent memory model of one simulated card: which objects are transient, the transaction
 * journal, the count of persistence events, and the armed tear point.
 *
 * <p>A <em>persistence event</em> is one atomic step of the card's persistent memory: a field write, an
 * array element store, an atomic {@code Util} call ({@code arrayCopy}, {@code setShort}), one byte of a
 * non-atomic {@code Util} call into a persistent array, a key update, and a transaction commit. The power
 * can be cut before any event: the event then does not happen ({@link PowerLoss}), and at power-up the
 * open transaction rolls back. A cut before a commit rolls the transaction back; a cut before the event
 * after it finds it committed.
 *
 * <p>Inside {@code beginTransaction}..{@code commitTransaction} every event but the non-atomic
 * {@code Util} bytes is journaled (Java Card 3.0.5 JCRE 7.6, {@code Util.arrayCopyNonAtomic}: "does not
 * use the transaction facility"); outside a transaction a write is immediate.
 */
public final class PersistentMemory {

    /** Puts one persistent location back as it was before a write. */
    interface Undo {
        void undo();
    }

    private final Set<Object> transientObjects = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Key> transientKeys = Collections.newSetFromMap(new IdentityHashMap<>());

    private boolean inTransaction;
    private final ArrayDeque<Undo> journal = new ArrayDeque<>();
    /** Every write since {@link #checkpoint()}, transactional or not; null when no checkpoint is kept. */
    private ArrayDeque<Undo> checkpointLog;
    /** Locations written since {@link #startAudit()}: object (by identity) to slot names; null when off. */
    private Map<Object, Set<String>> audit;

    private long events;
    private long tearAt = -1;
    private boolean powerLost;
    private long lostAt = -1;
    private long rollbacks;

    // ---------------------------------------------------------------- transient objects

    void registerTransient(Object object) {
        transientObjects.add(object);
    }

    void registerTransientKey(Key key) {
        transientKeys.add(key);
    }

    /** True unless the object was made transient (makeTransient*Array, the APDU buffer, transient key types). */
    public boolean isPersistent(Object object) {
        return !transientObjects.contains(object);
    }

    // ---------------------------------------------------------------- events and tearing

    /** Persistence events so far on this card (writes and commits, see the class comment). */
    public long events() {
        return events;
    }

    /** Cuts the power just before absolute event {@code event}; -1 disarms. */
    public void tearAt(long event) {
        if (event >= 0 && event < events) {
            throw new IllegalArgumentException("event " + event + " is already past (" + events + ")");
        }
        tearAt = event;
    }

    public boolean powerLost() {
        return powerLost;
    }

    /** The event the power was cut at, -1 if it was not. */
    long lostAt() {
        return lostAt;
    }

    /** Transactions rolled back so far, by abort, by the end of process() or by power loss. */
    public long rollbacks() {
        return rollbacks;
    }

    /** Counts one persistence event, or cuts the power there if it is the armed one. */
    void event() {
        if (powerLost) {
            throw new PowerLoss(lostAt);
        }
        if (events == tearAt) {
            powerLost = true;
            lostAt = events;
            tearAt = -1;
            throw new PowerLoss(lostAt);
        }
        events++;
    }

    /**
     * One persistent write, called before the write is made: counts the event (the power may go here),
     * then journals {@code undo} if {@code transactional} and a transaction is open.
     */
    void write(Undo undo, boolean transactional, Object where, String... slots) {
        event();
        if (transactional && inTransaction) {
            journal.push(undo);
        }
        if (checkpointLog != null) {
            checkpointLog.push(undo);
        }
        if (audit != null) {
            Collections.addAll(audit.computeIfAbsent(where, k -> new HashSet<>()), slots);
        }
    }

    // ---------------------------------------------------------------- transactions (JCSystem)

    void beginTransaction() {
        requirePower();
        if (inTransaction) {
            TransactionException.throwIt(TransactionException.IN_PROGRESS);
        }
        inTransaction = true;
    }

    void commitTransaction() {
        requirePower();
        if (!inTransaction) {
            TransactionException.throwIt(TransactionException.NOT_IN_PROGRESS);
        }
        event();
        journal.clear();
        inTransaction = false;
    }

    void abortTransaction() {
        requirePower();
        if (!inTransaction) {
            TransactionException.throwIt(TransactionException.NOT_IN_PROGRESS);
        }
        rollback();
    }

    byte transactionDepth() {
        requirePower();
        return inTransaction ? (byte) 1 : (byte) 0;
    }

    public boolean inTransaction() {
        return inTransaction;
    }

    /** Undoes the open transaction's journal, newest first, and closes it. */
    void rollback() {
        while (!journal.isEmpty()) {
            journal.pop().undo();
        }
        if (inTransaction) {
            rollbacks++;
        }
        inTransaction = false;
    }

    private void requirePower() {
        if (powerLost) {
            throw new PowerLoss(lostAt);
        }
    }

    /**
     * Power comes back: the interrupted transaction rolls back, transient keys lose their value (transient
     * arrays are cleared by jcardsim's reset), and the card takes events again.
     */
    void powerUp() {
        rollback();
        for (Key key : transientKeys) {
            key.clearKey();
        }
        powerLost = false;
        lostAt = -1;
        tearAt = -1;
    }

    // ---------------------------------------------------------------- checkpoints and audit

    /** Starts recording every persistent write so that {@link #restoreCheckpoint()} can undo them all. */
    void checkpoint() {
        checkpointLog = new ArrayDeque<>();
    }

    /** Undoes every persistent write since {@link #checkpoint()}, newest first, and keeps the checkpoint. */
    void restoreCheckpoint() {
        if (checkpointLog == null) {
            throw new IllegalStateException("no checkpoint");
        }
        rollback();
        while (!checkpointLog.isEmpty()) {
            checkpointLog.pop().undo();
        }
    }

    /** Starts recording which persistent locations are written (see {@link HeapSnapshot} for the slot names). */
    public void startAudit() {
        audit = new IdentityHashMap<>();
    }

    /** The locations written since {@link #startAudit()}, by object identity. */
    public Map<Object, Set<String>> audited() {
        if (audit == null) {
            throw new IllegalStateException("no audit running");
        }
        return audit;
    }
}
