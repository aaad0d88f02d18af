package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.FakeWallet;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.testing.TearingTransport;
import nfcpay.terminal.testing.TearingTransport.Mode;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.TracingTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corner cases of tearing recovery: the card went to other terminals before coming back, the
 * purse was emptied, the log rolled over, the card belongs to another SIM.
 */
class KernelRecoveryTest {

    /** SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT: DEBIT is APDU 4. */
    private static final int DEBIT = 4;

    @TempDir
    Path dir;
    Journal journal;
    Kernel kernel;
    Journal otherJournal;
    /** Another shop's terminal, with its own journal and terminal ID. */
    Kernel otherTerminal;
    FakeWallet sim;

    @BeforeEach
    void open() throws TerminalException {
        journal = Fixtures.journal(dir);
        kernel = Fixtures.kernel(journal);
        otherJournal = Journal.open(dir.resolve("other.db"), HexFormat.of().parseHex("999999999999"), Fixtures.CLOCK);
        otherTerminal = Kernel.builder().journal(otherJournal).clock(Fixtures.CLOCK).random(Fixtures.UN).build();
        sim = new FakeWallet(false, 3).purse("Daily", 50_000);
    }

    @AfterEach
    void close() throws TerminalException {
        journal.close();
        otherJournal.close();
    }

    private void tornPurchase(Mode mode, String amount) {
        assertThatThrownBy(() -> kernel.purchase(new TearingTransport(sim, DEBIT, mode), Money.parse(amount)))
                .isInstanceOf(CardRemovedException.class);
        sim.close();
    }

    private void elsewhere(int purchases) throws TerminalException {
        for (int i = 0; i < purchases; i++) {
            assertThat(otherTerminal.purchase(sim, Money.parse("1.00")).approved()).isTrue();
            sim.close();
        }
    }

    private JournalRecord only() throws TerminalException {
        List<JournalRecord> all = journal.list(10);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void debitNeverArrivedIsVoidedByTheUnchangedCounter() throws TerminalException {
        tornPurchase(Mode.BEFORE_SEND, "12.34");
        List<String> trace = new ArrayList<>();

        List<Recovery> r = kernel.resolvePendingTransactions(new TracingTransport(sim, trace::add));

        assertThat(r).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.VOID);
        assertThat(r.get(0).note()).contains("counter is still 0");
        assertThat(trace.stream().filter(l -> l.startsWith(">> 805A"))).isEmpty(); // decided without a proof
        assertThat(sim.purse("Daily").balance).isEqualTo(50_000);
    }

    @Test
    void debitThatHappenedIsRecoveredWithTheTacOfTheProof() throws TerminalException {
        tornPurchase(Mode.AFTER_SEND, "12.34");

        List<Recovery> r = kernel.resolvePendingTransactions(sim);

        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.state()).isEqualTo(TransactionState.RECOVERED);
            assertThat(x.tac()).hasSize(8);
            assertThat(x.amount()).isEqualTo(Money.parse("12.34"));
        });
        assertThat(HexFormat.of().withUpperCase().formatHex(sim.purse("Daily").purchaseProof, 6, 10)).isEqualTo(r.get(0).tac());
    }

    @Test
    void debitThatHappenedIsFoundInTheLogWhenOtherTerminalsReplacedTheProof() throws TerminalException {
        tornPurchase(Mode.AFTER_SEND, "12.34");
        elsewhere(2);

        List<Recovery> r = kernel.resolvePendingTransactions(sim);

        assertThat(r).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.RECOVERED);
        assertThat(r.get(0).tac()).isNull();
        assertThat(r.get(0).note()).contains("log");
    }

    @Test
    void debitThatNeverArrivedIsVoidWhenAnotherTerminalUsedItsCounter() throws TerminalException {
        tornPurchase(Mode.BEFORE_SEND, "12.34");
        elsewhere(1);

        List<Recovery> r = kernel.resolvePendingTransactions(sim);

        assertThat(r).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.VOID);
        assertThat(r.get(0).note()).contains("another transaction").contains("999999999999");
    }

    @Test
    void anEmptiedPurseStillGetsItsDebitRecovered() throws TerminalException {
        tornPurchase(Mode.AFTER_SEND, "500.00"); // the whole balance: the probe INITIALIZE answers 9401
        List<String> trace = new ArrayList<>();

        List<Recovery> r = kernel.resolvePendingTransactions(new TracingTransport(sim, trace::add));

        assertThat(trace).contains("<< 9401");
        assertThat(r).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.RECOVERED);
        assertThat(sim.purse("Daily").balance).isZero();
    }

    @Test
    void aRolledOverLogLeavesTheRecordPendingAndThePurchaseGoesOn() throws TerminalException {
        tornPurchase(Mode.AFTER_SEND, "12.34");
        elsewhere(10); // the proof is replaced and the log no longer holds counter 0

        PurchaseResult next = kernel.purchase(sim, Money.parse("1.00"));

        assertThat(next.approved()).isTrue();
        assertThat(next.recoveries()).singleElement().satisfies(x -> {
            assertThat(x.state()).isEqualTo(TransactionState.PENDING);
            assertThat(x.note()).contains("settle with the issuer");
        });
        assertThat(journal.pending()).hasSize(1);
    }

    @Test
    void aVoidedPurchaseRolledOutOfTheLogIsStillVoidWhenItsCounterIsInTheLog() throws TerminalException {
        tornPurchase(Mode.BEFORE_SEND, "12.34");
        elsewhere(10); // counters 0..9 are the other terminal's, all ten still in the log

        List<Recovery> r = kernel.resolvePendingTransactions(sim);

        assertThat(r).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.VOID);
    }

    @Test
    void aCorruptProofIsMac2FailedNotRecoveredNorVoid() throws TerminalException {
        tornPurchase(Mode.AFTER_SEND, "12.34");
        sim.purse("Daily").purchaseProof[2] ^= 0x01; // the MAC2 of the proof

        List<Recovery> r = kernel.resolvePendingTransactions(sim);

        assertThat(r).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.MAC2_FAILED);
        assertThat(only().tacHex()).isNotNull();
    }

    @Test
    void aCardWithTheSameAidFromAnotherSimDoesNotSettleThePendingRecord() throws TerminalException {
        tornPurchase(Mode.AFTER_SEND, "12.34");
        FakeWallet otherSim = new FakeWallet(false, 9).purse("Daily", 50_000);
        otherSim.purse("Daily").serial[9] = 0x77; // same AID, other application serial number

        PurchaseResult r = kernel.purchase(otherSim, Money.parse("1.00"));

        assertThat(r.approved()).isTrue();
        assertThat(r.recoveries()).isEmpty();
        assertThat(journal.pending()).hasSize(1);
    }

    @Test
    void theRecoveryTapRunsExactlyTheStepsOfSection44() throws TerminalException {
        tornPurchase(Mode.AFTER_SEND, "12.34");
        List<String> trace = new ArrayList<>();

        kernel.purchase(new TracingTransport(sim, trace::add), Money.parse("1.00"));

        List<String> commands = trace.stream().filter(l -> l.startsWith(">>")).map(l -> l.substring(3, 11)).toList();
        assertThat(commands).containsExactly(
                "00A40400", // SELECT PPSE
                "00A40400", // SELECT the application with a pending record
                "80500102", // INITIALIZE FOR PURCHASE (1 fen): the counter moved
                "805A0006", // GET TRANSACTION PROVE for the pending counter
                "00A40400", // SELECT PPSE again: the GPO must follow it
                "80A80000", // GPO
                "00A40400", // SELECT
                "80500102", // INITIALIZE FOR PURCHASE
                "80540100"); // DEBIT FOR PURCHASE
    }
}
