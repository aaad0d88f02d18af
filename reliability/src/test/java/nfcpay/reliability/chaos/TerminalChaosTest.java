package nfcpay.reliability.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Terminal chaos (docs/reliability.md, "Terminal chaos"): purchases through the real kernel with the
 * card removed at random APDUs and re-tapped until settled, and the terminal process killed with
 * SIGKILL at random points and restarted on the same journal; the journals, the card logs and the
 * balances must reconcile: no lost debit, no double debit, no journal record without its card
 * transaction, nothing PENDING.
 *
 * <p>Sizes and seed: {@code -Dnfcpay.chaos.purchases} (purchases whose first tap loses the card,
 * default 10,000), {@code -Dnfcpay.chaos.kills} (terminal processes killed, default 30; the full
 * run uses 300), {@code -Dnfcpay.chaos.seed}. The figures go to {@code target/chaos-report.txt}.
 */
class TerminalChaosTest {

    static final long SEED = Long.getLong("nfcpay.chaos.seed", 20260301L);
    static final long PURCHASES = Long.getLong("nfcpay.chaos.purchases", 10_000L);
    static final long KILLS = Long.getLong("nfcpay.chaos.kills", 30L);
    static final long CONTROL_PURCHASES = 300;

    private static final List<ChaosFigures> RUNS = new ArrayList<>();
    private static final List<String> CONTROLS = new ArrayList<>();

    @TempDir
    Path dir;

    /** Journal directories made outside {@link #dir}, deleted after each test. */
    private final List<Path> scratch = new ArrayList<>();

    @Test
    void cardRemovedAtRandomApdusThenReTapped() throws Exception {
        ChaosFigures f = RemovalChaos.run(SEED, PURCHASES, journalDir());
        report(f);

        assertThat(f.purchasesDisrupted).isGreaterThanOrEqualTo(PURCHASES);
        assertThat(f.removalsBeforeCommand).isPositive();
        assertThat(f.removalsAfterCommand).isPositive();
        assertThat(f.removalsByCommand).containsKeys("DEBIT FOR PURCHASE", "CREDIT FOR LOAD", "GET TRANSACTION PROVE");
        assertThat(f.pendingCardDid).as("removals after the card debited, before the terminal knew").isPositive();
        assertThat(f.pendingCardDidNot).isPositive();
        assertThat(f.doneEarlier).isPositive();
        assertThat(f.nested).isPositive();
        assertNoneLost(f);
    }

    /**
     * Controls: the same chaos with a cashier that gets the torn sale wrong must be caught. Each
     * oracle (double, lost, journal without card) fails when its defence is taken away.
     */
    @ParameterizedTest(name = "control: cashier {0}")
    @EnumSource(value = Cashier.Policy.class, names = {"WRITE_OFF", "ASSUME_PAID"})
    void theReconciliationCatchesACashierThatGetsTornSalesWrong(Cashier.Policy policy) throws Exception {
        ChaosFigures f = RemovalChaos.run(SEED, CONTROL_PURCHASES, journalDir(), policy);
        control("control, cashier " + policy + " (" + CONTROL_PURCHASES + " disrupted purchases): lost " + f.lost + ", double "
                + f.doubled + ", journal without card " + f.phantom + ", violations " + f.violations() + " (must not be 0)");

        assertThat(f.violations()).isPositive();
        switch (policy) {
            case WRITE_OFF -> assertThat(f.lost).as("lost debits").isPositive();
            case ASSUME_PAID -> assertThat(f.phantom).as("journal records without a card debit").isPositive();
            default -> throw new AssertionError(policy);
        }
    }

    /**
     * A cashier who simply runs the same sale or top-up again after a tear is safe: the kernel completes a torn
     * purchase (docs/terminal.md, Tearing) and a torn load (it asks the card and the issuer first) instead of
     * repeating it. Before loads went online this control found 9 double credits in 300 disrupted sales, all
     * top-ups; the double-credit oracle's control is now KernelTearingTest#controlForgettingTheTornLoadCreditsTwice.
     */
    @Test
    void aCashierWhoRetriesBlindlyNoLongerPaysOrCreditsTwice() throws Exception {
        ChaosFigures f = RemovalChaos.run(SEED, CONTROL_PURCHASES, journalDir(), Cashier.Policy.RETRY_BLINDLY);
        control("cashier RETRY_BLINDLY (" + CONTROL_PURCHASES + " disrupted purchases): lost " + f.lost + ", double "
                + f.doubled + ", journal without card " + f.phantom + ", violations " + f.violations());

        assertThat(f.doubled).as("double debits or credits").isZero();
        assertThat(f.violations()).isZero();
    }

    @Test
    void terminalProcessKilledAtRandomPointsThenRestartedOnItsJournal() throws Exception {
        ChaosFigures f = KillChaos.run(SEED, KILLS, dir);
        report(f);

        assertThat(f.killCount()).isEqualTo(KILLS);
        assertThat(f.processes).isEqualTo(KILLS + 1);
        assertThat(f.pendingCardDid + f.pendingCardDidNot).as("kills that left a PENDING record").isPositive();
        assertNoneLost(f);
    }

    /**
     * Where the in-process run keeps its journals: on tmpfs ({@code /dev/shm}) when there is one. Every
     * journal commit is an fsync (synchronous=FULL), about 5 ms a purchase on this machine's disk, and
     * durability proves nothing in a run where no process dies; the kill run keeps its journal on disk.
     * {@code -Dnfcpay.chaos.journalDir=DIR} chooses.
     */
    private Path journalDir() throws IOException {
        String chosen = System.getProperty("nfcpay.chaos.journalDir");
        Path shm = Path.of("/dev/shm");
        Path parent = chosen != null ? Path.of(chosen) : Files.isDirectory(shm) && Files.isWritable(shm) ? shm : null;
        if (parent == null) {
            return dir;
        }
        Path journals = Files.createTempDirectory(parent, "nfcpay-chaos-");
        scratch.add(journals);
        return journals;
    }

    @AfterEach
    void deleteScratch() throws IOException {
        for (Path p : scratch) {
            try (var files = Files.walk(p)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        scratch.clear();
    }

    static void assertNoneLost(ChaosFigures f) {
        assertThat(f.violationList()).as(f.render()).isEmpty();
        assertThat(f.lost).isZero();
        assertThat(f.doubled).isZero();
        assertThat(f.phantom).isZero();
        assertThat(f.pendingLeft).isZero();
        assertThat(f.cardPurchases).isEqualTo(f.journalPurchases).isPositive();
        assertThat(f.cardLoads).isEqualTo(f.journalLoads);
        assertThat(f.cardsReconciled).isPositive();
        assertThat(f.approved + f.doneEarlier).isPositive();
    }

    private static synchronized void report(ChaosFigures f) {
        RUNS.add(f);
        for (String line : f.render().split("\n")) {
            System.out.println("[chaos] " + line);
        }
    }

    private static synchronized void control(String line) {
        CONTROLS.add(line);
        System.out.println("[chaos] " + line);
    }

    @AfterAll
    static synchronized void writeReport() throws IOException {
        StringBuilder out = new StringBuilder("nfcpay terminal chaos report, " + Instant.now() + "\n");
        out.append("See docs/reliability.md, Terminal chaos.\n\n");
        for (ChaosFigures f : RUNS) {
            out.append(f.render()).append('\n');
        }
        if (!CONTROLS.isEmpty()) {
            out.append("Controls (a cashier that gets torn sales wrong; the reconciliation must catch it):\n");
            CONTROLS.forEach(c -> out.append("  ").append(c).append('\n'));
        }
        Path file = Path.of("target", "chaos-report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
    }
}
