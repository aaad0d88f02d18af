package nfcpay.reliability.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import nfcpay.sim.SimCard;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.security.PurchaseSecurityModule;
import nfcpay.terminal.security.SoftwareSecurityModule;

/**
 * Holds the terminals' journals against the cards, continuously: after every settled intent (or
 * group of intents, when one was made while another waited for its re-tap) every transaction that
 * appeared in a card's log must have exactly one journal record in COMPLETED or RECOVERED state
 * (matched by card serial, kind and counter) belonging to an intent that says it moved money, with
 * the card's proof verifying under that record; every such record must have its card transaction;
 * no intent may have moved money twice; nothing may stay PENDING. {@link #finish} repeats it over
 * the whole journals and every card's balance.
 */
final class Reconciler {

    private final List<Journal> journals;
    private final List<CardAuditor> auditors;
    private final ChaosFigures figures;
    private final PurchaseSecurityModule hsm = SoftwareSecurityModule.withTestKeys();
    private final List<Settled> batch = new ArrayList<>();
    /** Records matched to a card transaction, "terminal:id". */
    private final Set<String> matched = new HashSet<>();
    private long cardPurchases;
    private long cardLoads;

    /** A settled intent and the records it left. */
    private record Settled(Intent intent, Cashier.Status status, List<JournalRecord> records, boolean killed) {}

    /** Why the shipped path paid a load twice after a torn credit: the double the run expects and names. */
    static final String RELOADED = "a load re-tapped after a torn credit the card had made (Kernel.load settles it RECOVERED, then loads again)";
    /** Why the shipped path paid a sale twice after a kill: the terminal had committed the answer it never gave. */
    static final String RERUN_AFTER_LOST_ANSWER = "a sale re-run after a killed terminal had committed COMPLETED but never answered";

    Reconciler(List<Journal> journals, List<CardAuditor> auditors, ChaosFigures figures) {
        this.journals = List.copyOf(journals);
        this.auditors = List.copyOf(auditors);
        this.figures = figures;
    }

    /** The intent is settled (or given up); its records are read now. Audited at the next {@link #audit}. */
    void settled(Intent intent, Cashier.Status status) throws TerminalException {
        settled(intent, status, false);
    }

    /** @param killed a terminal process died while the intent was in flight (the kill run) */
    void settled(Intent intent, Cashier.Status status, boolean killed) throws TerminalException {
        batch.add(new Settled(intent, status, Cashier.since(journals.get(intent.terminal()), intent.watermark()), killed));
    }

    /**
     * Why an intent moved money {@code n > 1} times, when it is one of the shipped code's known retry
     * hazards; null otherwise (a violation). Each of its card transactions has its own journal record (n of
     * them, matched), so nothing is lost or unaccounted: the customer was charged (or credited) twice.
     */
    private static String knownDouble(Settled s, int n) {
        List<JournalRecord> moved = s.records().stream().filter(Cashier::moved).toList();
        if (moved.size() != n) {
            return null;
        }
        JournalRecord first = moved.get(0);
        if (s.intent().kind() == TransactionKind.LOAD && first.state() == TransactionState.RECOVERED) {
            return RELOADED;
        }
        if (s.killed() && first.state() == TransactionState.COMPLETED) {
            return RERUN_AFTER_LOST_ANSWER;
        }
        return null;
    }

    /** Reads every SIM's cards and holds them against the intents settled since the last audit. */
    void audit() {
        audit(auditors);
    }

    /** The same, reading only these SIMs: the only ones the intents since the last audit tapped. */
    void audit(List<CardAuditor> tapped) {
        Map<String, List<Owned>> byCardTransaction = new HashMap<>();
        for (Settled s : batch) {
            for (JournalRecord r : s.records()) {
                if (Cashier.moved(r)) {
                    byCardTransaction.computeIfAbsent(CardEvent.key(r.cardSerial(), r.kind(), r.counter()), k -> new ArrayList<>())
                            .add(new Owned(s, r));
                }
            }
        }
        Map<Settled, Integer> moves = new HashMap<>();
        for (CardAuditor auditor : tapped) {
            for (CardEvent e : auditor.newEvents()) {
                if (e.kind() == TransactionKind.PURCHASE) {
                    cardPurchases++;
                } else {
                    cardLoads++;
                }
                List<Owned> owners = byCardTransaction.getOrDefault(e.key(), List.of());
                if (owners.isEmpty()) {
                    figures.lost++;
                    figures.lostBy[ChaosFigures.index(e.kind())]++;
                    figures.violation("LOST: " + auditor.name() + " " + e + ": no COMPLETED/RECOVERED journal record; the"
                            + " journal says " + journalSays(e));
                    continue;
                }
                if (owners.size() > 1) {
                    figures.violation("two journal records for one card transaction: " + auditor.name() + " " + e);
                }
                Owned o = owners.get(0);
                matched.add(o.settled().intent().terminal() + ":" + o.record().id());
                moves.merge(o.settled(), 1, Integer::sum);
                check(auditor, e, o);
            }
        }
        for (Settled s : batch) {
            int n = moves.getOrDefault(s, 0);
            for (JournalRecord r : s.records()) {
                if (Cashier.moved(r) && !matched.contains(s.intent().terminal() + ":" + r.id())) {
                    figures.phantom++;
                    figures.phantomBy[ChaosFigures.index(r.kind())]++;
                    figures.violation("PHANTOM: intent " + s.intent().id() + ": " + r + " has no card transaction");
                }
                if (r.state() == TransactionState.PENDING) {
                    figures.pendingLeft++;
                    figures.violation("PENDING left: intent " + s.intent().id() + ": " + r);
                }
                if (r.state() == TransactionState.MAC2_FAILED) {
                    figures.violation("MAC2_FAILED: intent " + s.intent().id() + ": " + r);
                }
            }
            String known = n > 1 ? knownDouble(s, n) : null;
            if (known != null) {
                figures.knownDouble(s.intent().kind(), known);
            } else if (n > 1) {
                figures.doubled++;
                figures.doubledBy[ChaosFigures.index(s.intent().kind())]++;
                figures.violation("DOUBLE: intent " + s.intent().id() + " (" + s.intent().kind() + " " + s.intent().amount()
                        + ") moved money " + n + " times on the card");
            }
            int expected = s.status().moved() ? 1 : 0;
            if (n != expected && known == null) {
                figures.violation("intent " + s.intent().id() + " settled " + s.status() + " but the card moved money " + n
                        + " times for it");
            }
        }
        batch.clear();
    }

    private record Owned(Settled settled, JournalRecord record) {}

    /** The card's transaction is the record's: same amount and terminal, and the card's proof verifies under it. */
    private void check(CardAuditor auditor, CardEvent e, Owned o) {
        JournalRecord r = o.record();
        if (r.amount().minor() != e.amount() || !r.terminalIdHex().equalsIgnoreCase(e.terminalId())) {
            figures.violation("MISMATCH: " + auditor.name() + " " + e + " vs " + r);
        }
        if (e.proofMac() == null) {
            return;
        }
        figures.proofsChecked++;
        boolean ours = e.kind() == TransactionKind.PURCHASE
                ? hsm.verifyMac2(r.purchaseData(), e.proofMac())
                : r.mac2() != null && Arrays.equals(r.mac2(), e.proofMac());
        if (!ours) {
            figures.violation("PROOF: " + auditor.name() + " " + e + ": the card's proof does not verify under " + r);
        }
        if (r.tac() != null && !Arrays.equals(r.tac(), e.proofTac())) {
            figures.violation("TAC: " + auditor.name() + " " + e + ": journal TAC " + r.tacHex() + ", card's "
                    + Bytes.hex(e.proofTac()));
        }
    }

    /** What the batch's records say of a card transaction nobody claimed. */
    private String journalSays(CardEvent e) {
        List<String> said = new ArrayList<>();
        for (Settled s : batch) {
            for (JournalRecord r : s.records()) {
                if (CardEvent.key(r.cardSerial(), r.kind(), r.counter()).equals(e.key())) {
                    said.add("#" + r.id() + " " + r.state() + " (intent " + s.intent().id() + ")");
                }
            }
        }
        return said.isEmpty() ? "nothing" : String.join(", ", said);
    }

    /**
     * The end: no PENDING record anywhere; every COMPLETED/RECOVERED record of every journal matched a
     * card transaction; as many card transactions as such records; every card's balance is its
     * initial balance + the loads - the debits its log showed, and + the loads - the purchases the
     * journals hold for it.
     */
    void finish() throws TerminalException {
        audit();
        Map<String, Long> journalNet = new HashMap<>();
        long journalPurchases = 0;
        long journalLoads = 0;
        for (int t = 0; t < journals.size(); t++) {
            for (JournalRecord r : journals.get(t).list(Integer.MAX_VALUE)) {
                if (r.state() == TransactionState.PENDING) {
                    figures.pendingLeft++;
                    figures.violation("PENDING at the end: terminal " + t + " " + r);
                }
                if (!Cashier.moved(r)) {
                    continue;
                }
                if (!matched.contains(t + ":" + r.id())) {
                    figures.phantom++;
                    figures.phantomBy[ChaosFigures.index(r.kind())]++;
                    figures.violation("PHANTOM at the end: terminal " + t + " " + r);
                }
                long signed = r.kind() == TransactionKind.PURCHASE ? -r.amount().minor() : r.amount().minor();
                journalNet.merge(Bytes.hex(r.cardSerial()), signed, Long::sum);
                if (r.kind() == TransactionKind.PURCHASE) {
                    journalPurchases++;
                } else {
                    journalLoads++;
                }
            }
        }
        if (journalPurchases != cardPurchases || journalLoads != cardLoads) {
            figures.violation("the journals hold " + journalPurchases + " purchases and " + journalLoads + " loads, the cards "
                    + cardPurchases + " and " + cardLoads);
        }
        for (CardAuditor a : auditors) {
            for (SimCard c : a.sim().cards()) {
                long now = a.balanceNow(c);
                long byLog = a.initial(c) + a.loads(c) - a.debits(c);
                long byJournal = a.initial(c) + journalNet.getOrDefault(Bytes.hex(c.serial()), 0L);
                figures.cardsReconciled++;
                if (now != byLog || now != byJournal) {
                    figures.violation("BALANCE: " + a.name() + " " + c.label() + " holds " + now + "; initial " + a.initial(c)
                            + " + loads " + a.loads(c) + " - debits " + a.debits(c) + " = " + byLog + "; by the journals "
                            + byJournal);
                }
            }
        }
        figures.cardPurchases = cardPurchases;
        figures.cardLoads = cardLoads;
        figures.journalPurchases = journalPurchases;
        figures.journalLoads = journalLoads;
    }

    /** For the messages: the intents of the batch. */
    @Override
    public String toString() {
        return "Reconciler[" + batch.stream().map(s -> String.valueOf(s.intent().id())).collect(Collectors.joining(",")) + "]";
    }
}
