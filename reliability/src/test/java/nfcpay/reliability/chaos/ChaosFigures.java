package nfcpay.reliability.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import nfcpay.terminal.journal.JournalRecord;

/** The counts of one chaos run, and what went wrong in it. Not thread-safe: one run, one thread. */
final class ChaosFigures {

    private static final int VIOLATIONS_KEPT = 200;

    final String title;
    final long seed;
    /** What {@link #purchasesDisrupted} counts in this run. */
    final String disrupted;
    long purchases;
    long loads;
    /** Purchase intents whose first tap lost the card (or, in a kill run, whose terminal was killed). */
    long purchasesDisrupted;
    long removalsBeforeCommand;
    long removalsAfterCommand;
    final Map<String, long[]> removalsByCommand = new TreeMap<>();
    long taps;
    long reTaps;
    long nested;
    long approved;
    long declined;
    long loaded;
    long doneEarlier;
    final Map<String, Long> recoveries = new TreeMap<>();
    /** Disruptions that left a PENDING record whose DEBIT/CREDIT the card had done / had not done. */
    long pendingCardDid;
    long pendingCardDidNot;
    /** Of those the card had done, how many left the card empty (recovery cannot probe with INITIALIZE). */
    long pendingOnEmptyCard;
    final Map<String, Long> kills = new TreeMap<>();
    /** Kills after the answer to DEBIT/CREDIT: before the terminal committed COMPLETED (PENDING left), or after. */
    long killedBeforeCompleted;
    long killedAfterCompleted;
    long processes;
    long lost;
    long doubled;
    long phantom;
    /** The same per operation: [0] purchases, [1] loads. */
    final long[] lostBy = new long[2];
    final long[] doubledBy = new long[2];
    final long[] phantomBy = new long[2];
    /**
     * Intents the shipped code paid twice for a reason the run knows and names (not violations, reported):
     * a load re-tapped after a torn credit the card had made ({@code Kernel.load} settles it, then loads
     * again), and a sale re-run after a killed terminal had committed its answer but never given it.
     */
    final Map<String, long[]> knownDoubles = new TreeMap<>();
    long pendingLeft;
    long proofsChecked;
    long cardsReconciled;
    long cardPurchases;
    long cardLoads;
    long journalPurchases;
    long journalLoads;
    long millis;
    private long violationCount;
    private final List<String> violations = new ArrayList<>();

    ChaosFigures(String title, long seed, String disrupted) {
        this.title = title;
        this.seed = seed;
        this.disrupted = disrupted;
    }

    void violation(String what) {
        violationCount++;
        if (violations.size() < VIOLATIONS_KEPT) {
            violations.add(what);
        }
    }

    long violations() {
        return violationCount;
    }

    List<String> violationList() {
        return List.copyOf(violations);
    }

    void removal(RemovalTransport.Removal mode, String command) {
        long[] byMode = removalsByCommand.computeIfAbsent(command, c -> new long[2]);
        if (mode == RemovalTransport.Removal.BEFORE_COMMAND) {
            removalsBeforeCommand++;
            byMode[0]++;
        } else {
            removalsAfterCommand++;
            byMode[1]++;
        }
    }

    /** A record some disruption left PENDING, now settled by a later tap: how the kernel decided it. */
    void recovery(JournalRecord r) {
        recoveries.merge(r.kind().name().toLowerCase(Locale.ROOT) + " " + r.state() + " ("
                + evidence(r.note()) + ")", 1L, Long::sum);
    }

    /** The kernel's evidence, from the note PendingResolver writes (docs/terminal.md, Tearing). */
    private static String evidence(String note) {
        String n = String.valueOf(note);
        if (n.contains("counter is still")) {
            return "INITIALIZE: counter unchanged";
        }
        if (n.contains("GET TRANSACTION PROVE")) {
            return "GET TRANSACTION PROVE";
        }
        if (n.contains("log shows")) {
            return "card log, proof replaced";
        }
        if (n.contains("went to another transaction")) {
            return "card log: counter used by another terminal";
        }
        if (n.contains("reaches back")) {
            return "card log reaches back";
        }
        return n;
    }

    static int index(nfcpay.terminal.journal.TransactionKind kind) {
        return kind == nfcpay.terminal.journal.TransactionKind.PURCHASE ? 0 : 1;
    }

    void knownDouble(nfcpay.terminal.journal.TransactionKind kind, String why) {
        knownDoubles.computeIfAbsent(why, w -> new long[2])[index(kind)]++;
    }

    long knownDoubles(nfcpay.terminal.journal.TransactionKind kind) {
        return knownDoubles.values().stream().mapToLong(n -> n[index(kind)]).sum();
    }

    void kill(String mode) {
        kills.merge(mode, 1L, Long::sum);
    }

    long killCount() {
        return kills.values().stream().mapToLong(Long::longValue).sum();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        line(out, "%s (seed %d, %.1f s)", title, seed, millis / 1000.0);
        line(out, "  intents: %d purchases, %d loads; %d purchases %s", purchases, loads, purchasesDisrupted, disrupted);
        if (removalsBeforeCommand + removalsAfterCommand > 0) {
            line(out, "  card removals: %d before the command reached the card, %d after the card ran it (answer lost)",
                    removalsBeforeCommand, removalsAfterCommand);
            removalsByCommand.forEach((command, n) -> line(out, "    %-24s %6d before %6d after", command, n[0], n[1]));
        }
        if (!kills.isEmpty()) {
            line(out, "  terminal processes: %d started, %d killed with SIGKILL", processes, killCount());
            kills.forEach((mode, n) -> line(out, "    %-76s %5d", mode, n));
            line(out, "  of the kills just after a DEBIT/CREDIT answer: %d before the terminal committed COMPLETED (left"
                    + " PENDING), %d after", killedBeforeCompleted, killedAfterCompleted);
        }
        line(out, "  taps: %d (%d re-taps), %d intents made at another terminal while one waited for its re-tap", taps, reTaps,
                nested);
        line(out, "  settled: %d approved, %d declined, %d loaded, %d paid by an earlier torn tap (not paid again)", approved,
                declined, loaded, doneEarlier);
        line(out, "  disruptions leaving a PENDING record: %d where the card had debited/credited (each must end"
                + " RECOVERED; %d of them emptied the card), %d where it had not (each must end VOID); settled by a later"
                + " tap as:", pendingCardDid, pendingOnEmptyCard, pendingCardDidNot);
        recoveries.forEach((how, n) -> line(out, "    %-62s %6d", how, n));
        line(out, "  reconciled: card logs %d purchases + %d loads = journals %d + %d; %d card proofs verified against"
                + " journal records; %d card balances", cardPurchases, cardLoads, journalPurchases, journalLoads, proofsChecked,
                cardsReconciled);
        line(out, "  purchases: lost %d, double %d, journal without card %d", lostBy[0], doubledBy[0], phantomBy[0]);
        line(out, "  loads:     lost %d, double %d, journal without card %d", lostBy[1], doubledBy[1], phantomBy[1]);
        knownDoubles.forEach((why, n) -> line(out, "  paid twice by what ships, %s: %d purchases, %d loads", why, n[0], n[1]));
        line(out, "  lost %d, double %d, journal without card %d, pending left %d, violations %d", lost, doubled, phantom,
                pendingLeft, violationCount);
        violations.forEach(v -> line(out, "    ! %s", v));
        return out.toString();
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(format, args)).append('\n');
    }
}
