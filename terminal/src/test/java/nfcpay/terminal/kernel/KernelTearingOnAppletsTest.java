package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.testing.TearingTransport;
import nfcpay.terminal.testing.TearingTransport.Mode;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tearing against the real applets (PROTOCOL.md 4.4): the card leaves the reader's field at every
 * APDU of a purchase, a legacy fallback, a recovery and a load, before the card saw the command or
 * after it ran it; the next tap must leave the card's balances and the journal agreeing. No lost
 * debit (the card paid and the journal does not know), no double one (the journal counts a debit
 * the card never made).
 */
class KernelTearingOnAppletsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> tears(int apdus) {
        return IntStream.range(0, apdus).boxed()
                .flatMap(i -> Stream.of(Arguments.of(i, Mode.BEFORE_SEND), Arguments.of(i, Mode.AFTER_SEND)));
    }

    /** SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT. */
    static Stream<Arguments> smartPurchase() {
        return tears(5);
    }

    /** SELECT PPSE, SELECT, INITIALIZE (9401), SELECT, INITIALIZE, DEBIT. */
    static Stream<Arguments> legacyFallback() {
        return tears(6);
    }

    /** SELECT PPSE, SELECT, INITIALIZE (probe), GET TRANSACTION PROVE, SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT. */
    static Stream<Arguments> recoveryTap() {
        return tears(9);
    }

    /** SELECT, INITIALIZE FOR LOAD, CREDIT FOR LOAD. */
    static Stream<Arguments> load() {
        return tears(3);
    }

    private static Transport connect(SimulatedSim sim, int tearAt, Mode mode) throws TerminalException {
        Transport reader = Readers.connect(sim.terminal());
        return Transports.stack(tearAt < 0 ? reader : new TearingTransport(reader, tearAt, mode), null);
    }

    private static void tornPurchase(Kernel kernel, SimulatedSim sim, int tearAt, Mode mode, String amount) throws TerminalException {
        try (Transport t = connect(sim, tearAt, mode)) {
            kernel.purchase(t, Money.parse(amount));
            throw new AssertionError("the purchase was to be torn at APDU " + tearAt);
        } catch (CardRemovedException expected) {
            // the card left the field; closing the transport reset it
        }
    }

    private static PurchaseResult purchase(Kernel kernel, SimulatedSim sim, String amount) throws TerminalException {
        try (Transport t = connect(sim, -1, null)) {
            return kernel.purchase(t, Money.parse(amount));
        }
    }

    @ParameterizedTest(name = "smart purchase torn at APDU {0} {1}")
    @MethodSource("smartPurchase")
    void smartPurchase(int tearAt, Mode mode) throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        List<Long> opening = balances(sim);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            tornPurchase(kernel, sim, tearAt, mode, "12.34");
            boolean debited = tearAt == 4 && mode == Mode.AFTER_SEND;
            assertThat(sim.balance("Daily Wallet")).isEqualTo(debited ? 266 : 1_500);

            PurchaseResult next = purchase(kernel, sim, "1.00");

            assertThat(next.approved()).isTrue();
            if (tearAt == 4) {
                assertThat(next.recoveries()).singleElement().extracting(Recovery::state)
                        .isEqualTo(debited ? TransactionState.RECOVERED : TransactionState.VOID);
            }
            assertReconciled(sim, opening, journal);
        }
    }

    @ParameterizedTest(name = "legacy fallback torn at APDU {0} {1}")
    @MethodSource("legacyFallback")
    void legacyFallback(int tearAt, Mode mode) throws TerminalException {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).legacy().build();
        List<Long> opening = balances(sim);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            tornPurchase(kernel, sim, tearAt, mode, "20.00");

            assertThat(purchase(kernel, sim, "20.00").application().label()).isEqualTo("Salary Card");

            assertReconciled(sim, opening, journal);
        }
    }

    @ParameterizedTest(name = "recovery tap torn at APDU {0} {1}")
    @MethodSource("recoveryTap")
    void recoveryTap(int tearAt, Mode mode) throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        List<Long> opening = balances(sim);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            tornPurchase(kernel, sim, 4, Mode.AFTER_SEND, "12.34"); // debited, answer lost
            tornPurchase(kernel, sim, tearAt, mode, "2.00");          // the recovery tap torn too

            assertThat(purchase(kernel, sim, "3.00").approved()).isTrue();

            assertReconciled(sim, opening, journal);
            assertThat(journal.list(100).stream().filter(r -> r.amount().minor() == 1_234))
                    .singleElement().extracting(JournalRecord::state).isEqualTo(TransactionState.RECOVERED);
        }
    }

    @ParameterizedTest(name = "load torn at APDU {0} {1}")
    @MethodSource("load")
    void load(int tearAt, Mode mode) throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        String daily = sim.card("Daily Wallet").orElseThrow().aidHex();
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            try (Transport t = connect(sim, tearAt, mode)) {
                assertThatThrownBy(() -> kernel.load(t, daily, Money.parse("100.00"))).isInstanceOf(CardRemovedException.class);
            }
            boolean credited = tearAt == 2 && mode == Mode.AFTER_SEND;

            purchase(kernel, sim, "1.00");

            assertThat(journal.pending()).isEmpty();
            long loaded = journal.list(10).stream()
                    .filter(r -> r.kind() == TransactionKind.LOAD && r.state() == TransactionState.RECOVERED)
                    .mapToLong(r -> r.amount().minor()).sum();
            assertThat(loaded).isEqualTo(credited ? 10_000 : 0);
            assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500 + loaded - 100);
        }
    }

    private static List<Long> balances(SimulatedSim sim) {
        return sim.cards().stream().map(c -> sim.balance(c.label())).toList();
    }

    /** Every card lost exactly the purchases the journal holds as COMPLETED or RECOVERED, and nothing is PENDING. */
    private static void assertReconciled(SimulatedSim sim, List<Long> opening, Journal journal) throws TerminalException {
        assertThat(journal.pending()).isEmpty();
        List<JournalRecord> records = journal.list(1_000);
        for (int i = 0; i < sim.cards().size(); i++) {
            SimCard c = sim.cards().get(i);
            long paid = records.stream()
                    .filter(r -> r.aid().equals(c.aidHex()) && r.kind() == TransactionKind.PURCHASE)
                    .filter(r -> r.state() == TransactionState.COMPLETED || r.state() == TransactionState.RECOVERED)
                    .mapToLong(r -> r.amount().minor()).sum();
            assertThat(opening.get(i) - sim.balance(c.label())).as("what %s lost vs the journal", c.label()).isEqualTo(paid);
        }
    }
}
