package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.FakeWallet;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.testing.InProcessIssuer;
import nfcpay.terminal.testing.TearingTransport;
import nfcpay.terminal.testing.TearingTransport.Mode;
import nfcpay.terminal.transport.CardRemovedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tearing (PROTOCOL.md 4.4) against the stand-in card: the card leaves the field at every APDU of
 * a purchase, before or after the card ran it, and the next tap settles the journal with the card.
 * The invariant every test checks: what each purse lost equals the journal's COMPLETED and
 * RECOVERED purchases on it, and nothing stays PENDING once the card has been back.
 */
class KernelTearingTest {

    private static final long DAILY = 5_000;
    private static final long SALARY = 50_000;
    /** SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT. */
    private static final int SMART_APDUS = 5;
    /** SELECT PPSE, SELECT, INITIALIZE (9401), SELECT, INITIALIZE, DEBIT. */
    private static final int LEGACY_FALLBACK_APDUS = 6;

    @TempDir
    Path dir;

    static Stream<Arguments> smartTears() {
        return tears(SMART_APDUS);
    }

    static Stream<Arguments> legacyTears() {
        return tears(LEGACY_FALLBACK_APDUS);
    }

    private static Stream<Arguments> tears(int apdus) {
        return IntStream.range(0, apdus).boxed().flatMap(i -> Stream.of(Arguments.of(i, Mode.BEFORE_SEND), Arguments.of(i, Mode.AFTER_SEND)));
    }

    @ParameterizedTest(name = "smart, torn at APDU {0} {1}")
    @MethodSource("smartTears")
    void aTornSmartPurchaseIsSettledOnTheNextTap(int tearAt, Mode mode) throws TerminalException {
        FakeWallet sim = new FakeWallet(false, tearAt).purse("Daily", DAILY).purse("Salary", SALARY);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            TearingTransport torn = new TearingTransport(sim, tearAt, mode);
            assertThatThrownBy(() -> kernel.purchase(torn, Money.parse("12.34"))).isInstanceOf(CardRemovedException.class);
            sim.close();

            boolean debited = tearAt == SMART_APDUS - 1 && mode == Mode.AFTER_SEND;
            assertThat(sim.purse("Daily").balance).isEqualTo(debited ? DAILY - 1_234 : DAILY);
            assertThat(journal.pending()).hasSize(tearAt == SMART_APDUS - 1 ? 1 : 0);

            PurchaseResult next = kernel.purchase(sim, Money.parse("1.00"));

            assertThat(next.approved()).isTrue();
            assertThat(next.recoveries()).hasSize(tearAt == SMART_APDUS - 1 ? 1 : 0);
            if (debited) {
                Recovery r = next.recoveries().get(0);
                assertThat(r.state()).isEqualTo(TransactionState.RECOVERED);
                assertThat(r.tac()).isNotNull();
                assertThat(journal.find(r.journalId()).orElseThrow().tacHex()).isEqualTo(r.tac());
            }
            assertReconciled(sim, journal);
        }
    }

    @ParameterizedTest(name = "legacy, torn at APDU {0} {1}")
    @MethodSource("legacyTears")
    void aTornLegacyFallbackIsSettledOnTheNextTap(int tearAt, Mode mode) throws TerminalException {
        FakeWallet sim = new FakeWallet(true, tearAt).purse("Daily", 1_000).purse("Salary", SALARY);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            assertThatThrownBy(() -> kernel.purchase(new TearingTransport(sim, tearAt, mode), Money.parse("12.34")))
                    .isInstanceOf(CardRemovedException.class);
            sim.close();

            // the cashier taps again for the same sale: it is paid exactly once, whether or not the torn DEBIT went through
            PurchaseResult next = kernel.purchase(sim, Money.parse("12.34"));

            boolean tornDebitHappened = tearAt == LEGACY_FALLBACK_APDUS - 1 && mode == Mode.AFTER_SEND;
            assertThat(next.approved()).isTrue();
            assertThat(next.application().label()).isEqualTo("Salary");
            assertThat(next.completesTornSale()).isEqualTo(tornDebitHappened);
            assertReconciled(sim, journal);
            assertThat(sim.purse("Salary").balance).isEqualTo(SALARY - 1_234);
            assertThat(journal.list(100)).filteredOn(r -> r.state() == TransactionState.COMPLETED
                    || r.state() == TransactionState.RECOVERED).hasSize(1);
        }
    }

    @ParameterizedTest(name = "smart, torn at APDU {0} {1}, re-tapped for another amount")
    @MethodSource("smartTears")
    void aReTapForAnotherAmountIsANewSaleAfterTheTornOneIsSettled(int tearAt, Mode mode) throws TerminalException {
        FakeWallet sim = new FakeWallet(false, tearAt).purse("Daily", DAILY).purse("Salary", SALARY);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            assertThatThrownBy(() -> kernel.purchase(new TearingTransport(sim, tearAt, mode), Money.parse("12.34")))
                    .isInstanceOf(CardRemovedException.class);
            sim.close();

            PurchaseResult next = kernel.purchase(sim, Money.parse("5.00"));

            boolean tornDebitHappened = tearAt == SMART_APDUS - 1 && mode == Mode.AFTER_SEND;
            assertThat(next.approved()).isTrue();
            assertThat(next.completesTornSale()).isFalse();
            assertThat(next.amount()).isEqualTo(Money.parse("5.00"));
            assertReconciled(sim, journal);
            assertThat(sim.purse("Daily").balance).isEqualTo(DAILY - 500 - (tornDebitHappened ? 1_234 : 0));
        }
    }

    /** The recovery tap itself torn at each of its APDUs: a third tap still settles everything once. */
    @ParameterizedTest(name = "recovery torn at APDU {0} {1}")
    @MethodSource("recoveryTears")
    void aTornRecoveryIsSettledOnTheTapAfter(int tearAt, Mode mode) throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 7).purse("Daily", DAILY).purse("Salary", SALARY);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            assertThatThrownBy(() -> kernel.purchase(new TearingTransport(sim, SMART_APDUS - 1, Mode.AFTER_SEND),
                    Money.parse("12.34"))).isInstanceOf(CardRemovedException.class);
            sim.close();
            try {
                kernel.purchase(new TearingTransport(sim, tearAt, mode), Money.parse("2.00"));
            } catch (CardRemovedException expected) {
                // torn again
            }
            sim.close();

            kernel.purchase(sim, Money.parse("3.00"));

            assertReconciled(sim, journal);
            List<JournalRecord> first = journal.list(100).stream().filter(r -> r.amount().minor() == 1_234).toList();
            assertThat(first).singleElement().extracting(JournalRecord::state).isEqualTo(TransactionState.RECOVERED);
        }
    }

    static Stream<Arguments> recoveryTears() {
        // SELECT PPSE, SELECT Daily, INITIALIZE (probe), GET TRANSACTION PROVE, SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT
        return tears(9);
    }

    @Test
    void aTornLoadIsSettledOnTheNextTap() throws TerminalException {
        for (Mode mode : Mode.values()) {
            // SELECT, INITIALIZE FOR LOAD, CREDIT FOR LOAD
            for (int tearAt = 0; tearAt < 3; tearAt++) {
                FakeWallet sim = new FakeWallet(false, tearAt).purse("Daily", DAILY);
                try (Journal journal = Journal.open(dir.resolve("load-" + mode + tearAt + ".db"), Fixtures.TERMINAL_ID,
                        Fixtures.CLOCK)) {
                    Kernel kernel = Fixtures.kernel(journal);
                    String aid = sim.purse("Daily").aid;
                    int k = tearAt;
                    assertThatThrownBy(() -> kernel.load(new TearingTransport(sim, k, mode), aid, Money.parse("100.00")))
                            .isInstanceOf(CardRemovedException.class);
                    sim.close();
                    boolean credited = tearAt == 2 && mode == Mode.AFTER_SEND;

                    PurchaseResult next = kernel.purchase(sim, Money.parse("1.00"));

                    assertThat(next.approved()).isTrue();
                    assertThat(journal.pending()).isEmpty();
                    long loaded = journal.list(10).stream()
                            .filter(r -> r.kind() == TransactionKind.LOAD && r.state() == TransactionState.RECOVERED)
                            .mapToLong(r -> r.amount().minor()).sum();
                    assertThat(loaded).isEqualTo(credited ? 10_000 : 0);
                    assertThat(sim.purse("Daily").balance).isEqualTo(DAILY + loaded - 100);
                }
            }
        }
    }

    /**
     * The cashier's blind retry after a torn load (the same load asked again) credits once, whether or not the
     * torn CREDIT reached the card: the retry asks the card and the host first. The issuer ends with exactly the
     * loads the card credited posted, and nothing pending.
     */
    @Test
    void aRetriedLoadAfterATornOneNeverCreditsTwice() throws TerminalException {
        for (Mode mode : Mode.values()) {
            for (int tearAt = 0; tearAt < 3; tearAt++) {
                FakeWallet sim = new FakeWallet(false, 10 + tearAt).purse("Daily", DAILY);
                try (Journal journal = Journal.open(dir.resolve("retry-" + mode + tearAt + ".db"), Fixtures.TERMINAL_ID,
                        Fixtures.CLOCK)) {
                    InProcessIssuer issuer = new InProcessIssuer(journal.terminalId());
                    Kernel kernel = Fixtures.kernel(journal, issuer);
                    String aid = sim.purse("Daily").aid;
                    int k = tearAt;
                    assertThatThrownBy(() -> kernel.load(new TearingTransport(sim, k, mode), aid, Money.parse("100.00")))
                            .isInstanceOf(CardRemovedException.class);
                    sim.close();
                    boolean creditedByTheTornTap = tearAt == 2 && mode == Mode.AFTER_SEND;

                    LoadResult retry = kernel.load(sim, aid, Money.parse("100.00"));

                    assertThat(sim.purse("Daily").balance).as("tear at %d %s: credited once", k, mode).isEqualTo(DAILY + 10_000);
                    assertThat(retry.completesTornLoad()).isEqualTo(creditedByTheTornTap);
                    assertThat(retry.hostConfirmation()).isEqualTo("posted");
                    assertThat(journal.pending()).isEmpty();
                    long posted = 0;
                    for (int id = 1; id <= issuer.authorizations; id++) {
                        String st = issuer.issuer().status(Integer.toString(id));
                        assertThat(st).as("load %d at the issuer", id).isIn("posted", "voided");
                        posted += st.equals("posted") ? 1 : 0;
                    }
                    assertThat(posted).as("the issuer posted exactly the one credit").isEqualTo(1);
                }
            }
        }
    }

    /**
     * A torn load the card can no longer prove (its proof replaced, its log full of later purchases) is settled
     * by the issuer: the retry's authorization makes the host settle it by the card's counter, the kernel asks
     * the host (GET /v1/loads/{id}), finds it posted, and credits nothing more.
     */
    @Test
    void aTornLoadTheCardCannotProveIsSettledByTheHost() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 30).purse("Daily", DAILY);
        try (Journal journal = Journal.open(dir.resolve("host-settles.db"), Fixtures.TERMINAL_ID, Fixtures.CLOCK)) {
            InProcessIssuer issuer = new InProcessIssuer(journal.terminalId());
            Kernel kernel = Fixtures.kernel(journal, issuer);
            String aid = sim.purse("Daily").aid;
            assertThatThrownBy(() -> kernel.load(new TearingTransport(sim, 2, Mode.AFTER_SEND), aid, Money.parse("100.00")))
                    .isInstanceOf(CardRemovedException.class);
            sim.close();
            FakeWallet.Purse daily = sim.purse("Daily");
            daily.loadProof = null;
            byte[] purchase = daily.log.get(0).clone();
            purchase[9] = 0x06;
            daily.log.clear();
            for (int i = 0; i < 10; i++) {
                daily.log.add(purchase.clone());
            }

            LoadResult retry = kernel.load(sim, aid, Money.parse("100.00"));

            assertThat(retry.completesTornLoad()).isTrue();
            assertThat(retry.recoveries()).singleElement().satisfies(r -> {
                assertThat(r.state()).isEqualTo(TransactionState.RECOVERED);
                assertThat(r.note()).contains("the issuer host posted it");
            });
            assertThat(daily.balance).as("credited once").isEqualTo(DAILY + 10_000);
            assertThat(issuer.issuer().status("1")).isEqualTo("posted");
            assertThat(issuer.issuer().status("2")).as("the retry's own authorization, never used").isEqualTo("pending");
            assertThat(journal.pending()).isEmpty();
        }
    }

    /**
     * Control: a kernel that forgets the torn load (a fresh journal, as the blind retry of the issue did by
     * ignoring what it knew) credits the card twice when the torn CREDIT went through.
     */
    @Test
    void controlForgettingTheTornLoadCreditsTwice() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 20).purse("Daily", DAILY);
        try (Journal journal = Journal.open(dir.resolve("control-a.db"), Fixtures.TERMINAL_ID, Fixtures.CLOCK);
             Journal forgetful = Journal.open(dir.resolve("control-b.db"), Fixtures.TERMINAL_ID, Fixtures.CLOCK)) {
            InProcessIssuer issuer = new InProcessIssuer(journal.terminalId());
            String aid = sim.purse("Daily").aid;
            assertThatThrownBy(() -> Fixtures.kernel(journal, issuer).load(new TearingTransport(sim, 2, Mode.AFTER_SEND), aid,
                    Money.parse("100.00"))).isInstanceOf(CardRemovedException.class);
            sim.close();
            Fixtures.kernel(forgetful, issuer).load(sim, aid, Money.parse("100.00"));
            assertThat(sim.purse("Daily").balance).isEqualTo(DAILY + 20_000);
        }
    }

    /** Each purse lost exactly what the journal says it paid, and nothing is left to settle. */
    private static void assertReconciled(FakeWallet sim, Journal journal) throws TerminalException {
        assertThat(journal.pending()).isEmpty();
        List<JournalRecord> all = journal.list(1_000);
        for (FakeWallet.Purse p : sim.purses()) {
            long paid = all.stream()
                    .filter(r -> r.aid().equals(p.aid) && r.kind() == TransactionKind.PURCHASE)
                    .filter(r -> r.state() == TransactionState.COMPLETED || r.state() == TransactionState.RECOVERED)
                    .mapToLong(r -> r.amount().minor()).sum();
            long cardPurchases = p.log.stream().filter(rec -> rec[9] == 0x06).count();
            long journalPurchases = all.stream().filter(r -> r.aid().equals(p.aid) && r.kind() == TransactionKind.PURCHASE)
                    .filter(r -> r.state() == TransactionState.COMPLETED || r.state() == TransactionState.RECOVERED).count();
            assertThat(journalPurchases).as("purchases of %s: card log vs journal", p.label).isEqualTo(cardPurchases);
            long cardPaid = p.log.stream().filter(rec -> rec[9] == 0x06)
                    .mapToLong(rec -> (rec[5] & 0xFFL) << 24 | (rec[6] & 0xFF) << 16 | (rec[7] & 0xFF) << 8 | (rec[8] & 0xFF)).sum();
            assertThat(paid).as("amount paid by %s: card log vs journal", p.label).isEqualTo(cardPaid);
            assertThat(p.opening - p.balance).as("what %s lost", p.label).isEqualTo(paid);
        }
    }
}
