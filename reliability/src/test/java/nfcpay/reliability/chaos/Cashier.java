package nfcpay.reliability.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.kernel.Recovery;
import nfcpay.terminal.transport.Transport;

/**
 * The point of sale around the kernel: one intended sale or top-up, tapped until it is settled and
 * never paid twice. {@link Kernel#purchase} is "one tap, one new purchase": on the tap after a tear
 * it settles the torn transaction first and then pays the amount again. A cashier who retries the
 * same sale must therefore ask the journal first (the records written since the sale began, see
 * {@link Intent#watermark}): already paid → done; a record still PENDING → settle it with the card in
 * the field ({@link Kernel#resolvePendingTransactions}) and look again; nothing, or only VOID records
 * → pay. The same rule serves a restarted terminal process, which finds the sale's records in the
 * journal file the killed one left.
 */
final class Cashier {

    /** How a tap left the intent. */
    enum Status {
        /** This tap's purchase was approved. */
        APPROVED,
        /** No card could pay; nothing debited. */
        DECLINED,
        /** This tap's load was credited. */
        LOADED,
        /** An earlier (torn or killed) tap's debit or credit was proven on this tap: paid, not paid again. */
        DONE_EARLIER,
        /** The kernel could not tell what a torn transaction did: the intent stays open. */
        UNSETTLED,
        /** The card answered but its MAC2 did not verify. */
        MAC2_FAILED;

        boolean settled() {
            return this != UNSETTLED;
        }

        /** Whether the intent moved money on the card (exactly once, if all is well). */
        boolean moved() {
            return this == APPROVED || this == LOADED || this == DONE_EARLIER;
        }
    }

    record Tap(Status status, List<Recovery> recoveries) {}

    /**
     * How the cashier treats a sale a torn tap left behind. Only {@link #SETTLE_FIRST} is right; the
     * others are the controls that show the reconciliation catching what they do.
     */
    enum Policy {
        /** Settle with the card first, pay only when nothing was paid (the class comment). */
        SETTLE_FIRST,
        /** Call {@link Kernel#purchase} (or load) again on every re-tap: safe, since the kernel completes a torn sale or load. */
        RETRY_BLINDLY,
        /** Write a PENDING record off as VOID without the card, then pay: loses a torn debit that went through. */
        WRITE_OFF,
        /** Take a PENDING record for paid without the card: claims a debit the card never made. */
        ASSUME_PAID
    }

    /** More records than one intent can write: one per tap that reached DEBIT (or CREDIT). */
    private static final int RECORDS_PER_INTENT = 256;

    private final Kernel kernel;
    private final Journal journal;
    private final Policy policy;

    Cashier(Kernel kernel) {
        this(kernel, Policy.SETTLE_FIRST);
    }

    Cashier(Kernel kernel, Policy policy) {
        this.kernel = kernel;
        this.journal = kernel.journal();
        this.policy = policy;
    }

    Journal journal() {
        return journal;
    }

    /** The newest record id of the journal (0 when empty): the watermark of an intent about to begin. */
    long watermark() throws TerminalException {
        List<JournalRecord> newest = journal.list(1);
        return newest.isEmpty() ? 0 : newest.get(0).id();
    }

    /** The intent's records, oldest first. */
    List<JournalRecord> records(Intent intent) throws TerminalException {
        return since(journal, intent.watermark());
    }

    /** The records of a journal newer than {@code watermark}, oldest first. */
    static List<JournalRecord> since(Journal journal, long watermark) throws TerminalException {
        List<JournalRecord> newest = journal.list(1);
        if (newest.isEmpty() || newest.get(0).id() <= watermark) {
            return List.of();
        }
        List<JournalRecord> mine = new ArrayList<>();
        for (JournalRecord r : journal.list((int) Math.min(newest.get(0).id() - watermark, RECORDS_PER_INTENT))) {
            if (r.id() > watermark) {
                mine.add(r);
            }
        }
        mine.sort(Comparator.comparingLong(JournalRecord::id));
        return mine;
    }

    /**
     * One tap for the intent with the card in the field through {@code card}.
     *
     * @throws nfcpay.terminal.transport.CardRemovedException when the card left: tap again
     */
    Tap tap(Transport card, Intent intent) throws TerminalException {
        List<Recovery> recoveries = new ArrayList<>();
        Status before = policy == Policy.RETRY_BLINDLY ? null : fromJournal(records(intent));
        if (before == Status.UNSETTLED && policy != Policy.SETTLE_FIRST) {
            for (JournalRecord r : records(intent)) {
                if (r.state() == TransactionState.PENDING) {
                    journal.resolve(r.id(), policy == Policy.WRITE_OFF ? TransactionState.VOID : TransactionState.RECOVERED,
                            null, null, "control: " + policy + ", without asking the card");
                }
            }
            before = fromJournal(records(intent));
        }
        if (before == Status.UNSETTLED) {
            recoveries.addAll(kernel.resolvePendingTransactions(card));
            before = fromJournal(records(intent));
        }
        if (before != null) {
            return new Tap(before, recoveries);
        }
        if (intent.kind() == TransactionKind.LOAD) {
            recoveries.addAll(kernel.load(card, intent.aid(), intent.amount()).recoveries());
            return new Tap(Status.LOADED, recoveries);
        }
        PurchaseResult result = kernel.purchase(card, intent.amount());
        recoveries.addAll(result.recoveries());
        Status status = switch (result.outcome()) {
            case APPROVED -> Status.APPROVED;
            case DECLINED -> Status.DECLINED;
            case MAC2_FAILED -> Status.MAC2_FAILED;
        };
        return new Tap(status, recoveries);
    }

    /**
     * What the journal already says of the intent: UNSETTLED while a record is PENDING, DONE_EARLIER
     * (or MAC2_FAILED) once one is final with the card's money moved, null when no tap reached the
     * card's DEBIT/CREDIT or the card did none of them (VOID): pay.
     */
    private static Status fromJournal(List<JournalRecord> records) {
        Status status = null;
        for (JournalRecord r : records) {
            switch (r.state()) {
                case PENDING:
                    return Status.UNSETTLED;
                case COMPLETED:
                case RECOVERED:
                    status = Status.DONE_EARLIER;
                    break;
                case MAC2_FAILED:
                    status = status == null ? Status.MAC2_FAILED : status;
                    break;
                case VOID:
                    break;
                default:
                    throw new IllegalStateException("unknown state " + r.state());
            }
        }
        return status;
    }

    /** True when the record ended with the card's money moved. */
    static boolean moved(JournalRecord r) {
        return r.state() == TransactionState.COMPLETED || r.state() == TransactionState.RECOVERED;
    }
}
