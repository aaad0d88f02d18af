package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the kernel does with each answer to DEBIT FOR PURCHASE (issue 14, item 6). Only the status
 * words the contract lists as refusals of DEBIT (docs/protocol.md 3.2) prove that the card changed
 * nothing and may void the sale. Any other answer may follow a committed debit: the record stays
 * PENDING, the cashier is told the outcome is unknown, and the next tap settles it from the card's proof.
 *
 * <p>The card is the real purse on jcardsim; {@link DebitAnswer} stands between it and the kernel and
 * either lets the card run DEBIT and replaces its answer (a card that committed and then failed), or
 * keeps DEBIT from the card and answers for it (a card that refused before changing anything).
 */
class KernelDebitAnswerTest {

    private static final Money AMOUNT = Money.parse("12.34");
    /** Daily Wallet's 15.00 less 12.34. */
    private static final long DEBITED = 266;

    @TempDir
    Path dir;
    Journal journal;
    Kernel kernel;
    SimulatedSim sim;

    @BeforeEach
    void open() throws TerminalException {
        journal = Fixtures.journal(dir);
        kernel = Fixtures.kernel(journal);
        sim = SimulatedSim.defaultWallet();
    }

    @AfterEach
    void close() throws TerminalException {
        journal.close();
    }

    @ParameterizedTest(name = "committed, then {0}")
    @ValueSource(strings = {"6F00", "6581", "6400", "6F12", "6283", "9000 with 3 bytes"})
    void aCommittedDebitAnsweredUnexpectedlyStaysPendingAndTheNextTapRecoversItWithoutChargingTwice(String answer)
            throws TerminalException {
        Throwable thrown = catchThrowable(() -> tap(new DebitAnswer.Factory(answer, true), AMOUNT));

        assertThat(sim.balance("Daily Wallet")).as("the card committed the debit").isEqualTo(DEBITED);
        assertThat(thrown).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("outcome unknown").hasMessageContaining("tap");
        JournalRecord torn = journal.find(((OutcomeUnknownException) thrown).journalId()).orElseThrow();
        assertThat(torn.state()).isEqualTo(TransactionState.PENDING);

        PurchaseResult next = tap(null, AMOUNT); // the cashier taps again for the same sale

        assertThat(next.approved()).isTrue();
        assertThat(next.completesTornSale()).as("the re-tap completes the sale, it does not pay again").isTrue();
        assertThat(next.journalId()).isEqualTo(torn.id());
        assertThat(next.recoveries()).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.RECOVERED);
        assertThat(sim.balance("Daily Wallet")).as("charged once").isEqualTo(DEBITED);
        assertThat(journal.find(torn.id()).orElseThrow().state()).isEqualTo(TransactionState.RECOVERED);
        assertThat(journal.find(torn.id()).orElseThrow().tacHex()).isEqualTo(next.tac()).isNotNull();
        assertThat(journal.pending()).isEmpty();
    }

    @Test
    void aCommittedDebitAnswered6F00IsRecoveredByATapForAnotherSaleToo() throws TerminalException {
        assertThatThrownBy(() -> tap(new DebitAnswer.Factory("6F00", true), AMOUNT)).isInstanceOf(OutcomeUnknownException.class);

        PurchaseResult next = tap(null, Money.parse("1.00"));

        assertThat(next.approved()).isTrue();
        assertThat(next.completesTornSale()).isFalse();
        assertThat(next.recoveries()).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.RECOVERED);
        assertThat(sim.balance("Daily Wallet")).isEqualTo(DEBITED - 100);
        assertThat(journal.pending()).isEmpty();
        assertThat(journal.list(10)).extracting(JournalRecord::state)
                .containsExactlyInAnyOrder(TransactionState.RECOVERED, TransactionState.COMPLETED);
    }

    @Test
    void aDebitThatNeverReachedTheCommitAndAnswered6F00IsVoidedByTheNextTapWhichPays() throws TerminalException {
        assertThatThrownBy(() -> tap(new DebitAnswer.Factory("6F00", false), AMOUNT)).isInstanceOf(OutcomeUnknownException.class);
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
        assertThat(journal.pending()).hasSize(1);

        PurchaseResult next = tap(null, AMOUNT);

        assertThat(next.approved()).isTrue();
        assertThat(next.completesTornSale()).isFalse();
        assertThat(next.recoveries()).singleElement().extracting(Recovery::state).isEqualTo(TransactionState.VOID);
        assertThat(sim.balance("Daily Wallet")).as("paid once, by the second tap").isEqualTo(DEBITED);
        assertThat(journal.pending()).isEmpty();
    }

    /** The refusals of DEBIT in docs/protocol.md 3.2 (and the class and instruction checks every command has). */
    @ParameterizedTest(name = "refused with {0}")
    @ValueSource(strings = {"9401", "9302", "9303", "6985", "6901", "6A86", "6700", "6D00", "6E00"})
    void aDebitRefusedWithAContractStatusWordIsVoidedAtOnce(String sw) throws TerminalException {
        Throwable thrown = catchThrowable(() -> tap(new DebitAnswer.Factory(sw, false), AMOUNT));

        if (thrown != null) { // 6985 is a decline ("card expired"), the others errors that name the SW
            assertThat(thrown).isInstanceOf(TerminalException.class).isNotInstanceOf(OutcomeUnknownException.class);
            assertThat(thrown.getMessage()).contains(sw);
        }
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
        assertThat(journal.pending()).isEmpty();
        assertThat(journal.list(10)).singleElement().extracting(JournalRecord::state).isEqualTo(TransactionState.VOID);

        assertThat(tap(null, AMOUNT).recoveries()).as("nothing left to settle").isEmpty();
        assertThat(sim.balance("Daily Wallet")).isEqualTo(DEBITED);
    }

    @Test
    void everyVoidingStatusWordIsOneTheContractListsForDebit() {
        assertThat(DebitRefusals.VOIDING).containsExactlyInAnyOrder(
                0x9401, 0x9302, 0x9303, 0x6985, 0x6901, 0x6A86, 0x6700, 0x6D00, 0x6E00);
        assertThat(List.of(0x6F00, 0x6581, 0x6400, 0x9000, 0x6A80, 0x9403, 0x9406, 0x6A82))
                .noneMatch(DebitRefusals::changedNothing);
    }

    private PurchaseResult tap(DebitAnswer.Factory debitAnswer, Money amount) throws TerminalException {
        Transport reader = Readers.connect(sim.terminal());
        try (Transport t = Transports.stack(debitAnswer == null ? reader : debitAnswer.wrap(reader), null)) {
            return kernel.purchase(t, amount);
        }
    }

    /** Answers DEBIT FOR PURCHASE with a given answer, after the card ran it or instead of it. */
    static final class DebitAnswer implements Transport {

        record Factory(String answer, boolean cardRunsIt) {
            Transport wrap(Transport reader) {
                return new DebitAnswer(reader, this);
            }
        }

        private final Transport inner;
        private final Factory f;

        DebitAnswer(Transport inner, Factory f) {
            this.inner = inner;
            this.f = f;
        }

        @Override
        public byte[] transceive(byte[] command) throws TransportException {
            if ((command[0] & 0xFF) != 0x80 || (command[1] & 0xFF) != 0x54) {
                return inner.transceive(command);
            }
            if (f.cardRunsIt()) {
                byte[] real = inner.transceive(command);
                assertThat(HexFormat.of().formatHex(real, real.length - 2, real.length)).as("the card's own answer")
                        .isEqualTo("9000");
            }
            return f.answer().startsWith("9000 with")
                    ? HexFormat.of().parseHex("0102039000")
                    : HexFormat.of().parseHex(f.answer());
        }

        @Override
        public void close() throws TransportException {
            inner.close();
        }
    }
}
