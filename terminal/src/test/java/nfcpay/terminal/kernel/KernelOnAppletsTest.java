package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.PurchaseResult.Outcome;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.security.SoftwareSecurityModule;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel against the real applets: the selector and purses of the card module on jcardsim,
 * reached through CardTerminalSimulator, i.e. the real javax.smartcardio API and the terminal's
 * own adapter and wrapper stack.
 */
class KernelOnAppletsTest {

    @TempDir
    Path dir;
    Journal journal;
    Kernel kernel;
    final List<String> trace = new ArrayList<>();

    @BeforeEach
    void open() throws TerminalException {
        journal = Fixtures.journal(dir);
        kernel = Fixtures.kernel(journal);
    }

    @AfterEach
    void close() throws TerminalException {
        journal.close();
    }

    /** One tap: connect through the reader, run, take the card away (disconnect with reset). */
    interface Tap<T> {
        T run(Transport t) throws TerminalException;
    }

    <T> T tap(SimulatedSim sim, Tap<T> body) throws TerminalException {
        try (Transport t = Transports.stack(Readers.connect(sim.terminal()), trace::add)) {
            return body.run(t);
        }
    }

    @Test
    void theDefaultCardPays() throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();

        PurchaseResult r = tap(sim, t -> kernel.purchase(t, Money.parse("12.34")));

        assertThat(r.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(r.application().label()).isEqualTo("Daily Wallet");
        assertThat(r.balanceAfter()).isEqualTo(Money.parse("2.66"));
        assertThat(sim.balance("Daily Wallet")).isEqualTo(266);
        assertThat(journal.find(r.journalId()).orElseThrow().state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(String.join("\n", trace)).doesNotContain(sim.card("Daily Wallet").orElseThrow().aidHex() + "9F0C")
                .contains("****************"); // the serial in the trace is masked
    }

    @Test
    void theDefaultCardIsShortAndAnotherPaysInTheSameTap() throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();

        PurchaseResult r = tap(sim, t -> kernel.purchase(t, Money.parse("20.00")));

        assertThat(r.approved()).isTrue();
        assertThat(r.application().label()).isEqualTo("Salary Card");
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
        assertThat(sim.balance("Salary Card")).isEqualTo(30_000);
        assertThat(trace.stream().filter(l -> l.startsWith(">>"))).hasSize(5); // one tap, five APDUs
    }

    @Test
    void noCardCanPayIsOneClearDecline() throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();

        PurchaseResult r = tap(sim, t -> kernel.purchase(t, Money.parse("5000.00")));

        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).isEqualTo("insufficient funds on every card");
        assertThat(journal.list(10)).isEmpty();
    }

    @Test
    void aLegacyPpseFallsBackByPriorityOn9401() throws TerminalException {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).legacy().build();

        PurchaseResult r = tap(sim, t -> kernel.purchase(t, Money.parse("20.00")));

        assertThat(r.approved()).isTrue();
        assertThat(r.application().label()).isEqualTo("Salary Card");
        assertThat(trace).contains("<< 9401");
        assertThat(trace.stream().filter(l -> l.startsWith(">> 80A8"))).isEmpty();
        assertThat(sim.balance("Salary Card")).isEqualTo(30_000);
    }

    @Test
    void theCardsSelectionPolicyDecidesWhichCoveringCardPays() throws TerminalException {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000).policy(SelectionPolicy.MOST_FUNDS).build();

        PurchaseResult r = tap(sim, t -> kernel.purchase(t, Money.parse("10.00")));

        assertThat(r.application().label()).isEqualTo("Travel Card");
    }

    @Test
    void aDirectoryLongerThan256BytesArrivesThroughGetResponse() throws TerminalException {
        // 15 entries of 31 bytes; the builder gives card n priority n, and 87 allows 1..15
        SimulatedSim.Builder b = SimulatedSim.builder();
        for (int i = 1; i <= 15; i++) {
            b.card(String.format("Card number %02d", i), i == 15 ? 90_000 : 100);
        }
        SimulatedSim sim = b.build();

        PurchaseResult r = tap(sim, t -> kernel.purchase(t, Money.parse("500.00")));

        assertThat(r.application().label()).isEqualTo("Card number 15");
        assertThat(trace).anyMatch(l -> l.startsWith("<< ") && l.matches("<< [0-9A-F]+ 61[0-9A-F]{2}"));
        assertThat(trace).anyMatch(l -> l.startsWith(">> 00C00000")); // GET RESPONSE for the rest
    }

    @Test
    void aMac2ChangedOnTheWayIsReportedAndJournaledNotApproved() throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();

        PurchaseResult r = tap(sim, t -> kernel.purchase(new Mac2Flipper(t), Money.parse("12.34")));

        assertThat(r.outcome()).isEqualTo(Outcome.MAC2_FAILED);
        assertThat(sim.balance("Daily Wallet")).as("the card did debit").isEqualTo(266);
        JournalRecord rec = journal.find(r.journalId()).orElseThrow();
        assertThat(rec.state()).isEqualTo(TransactionState.MAC2_FAILED);
        assertThat(rec.tacHex()).isEqualTo(r.tac()).isNotNull();
    }

    @Test
    void aTerminalWithTheWrongPurchaseKeyIsRefusedByTheCardAndNothingIsDebited() throws TerminalException, IOException {
        Path keys = Files.writeString(dir.resolve("keys.properties"), "mpk=00000000000000001111111111111111\n");
        Kernel wrong = Kernel.builder().journal(journal).clock(Fixtures.CLOCK)
                .purchaseSecurityModule(SoftwareSecurityModule.fromKeyFile(keys)).build();
        SimulatedSim sim = SimulatedSim.defaultWallet();

        assertThatThrownBy(() -> tap(sim, t -> wrong.purchase(t, Money.parse("12.34"))))
                .isInstanceOf(TerminalException.class).hasMessageContaining("rejected MAC1 (9302)");
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
        assertThat(journal.list(10)).singleElement().extracting(JournalRecord::state).isEqualTo(TransactionState.VOID);
    }

    @Test
    void loadsReadsTheBalanceAndTheHistory() throws TerminalException {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        String daily = sim.card("Daily Wallet").orElseThrow().aidHex();

        LoadResult load = tap(sim, t -> kernel.load(t, daily, Money.parse("100.00")));
        tap(sim, t -> kernel.purchase(t, Money.parse("20.00")));

        assertThat(load.balanceAfter()).isEqualTo(Money.parse("115.00"));
        Money balance = tap(sim, t -> kernel.getBalance(t, daily));
        assertThat(balance).isEqualTo(Money.parse("95.00"));
        CardLog log = tap(sim, t -> kernel.readLog(t, daily));
        assertThat(log.records()).extracting(LogRecord::kind, LogRecord::amount).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TransactionKind.PURCHASE, Money.parse("20.00")),
                org.assertj.core.groups.Tuple.tuple(TransactionKind.LOAD, Money.parse("100.00")),
                org.assertj.core.groups.Tuple.tuple(TransactionKind.LOAD, Money.parse("15.00")));
        assertThat(tap(sim, kernel::readDirectory).applications()).extracting(CardApplication::label)
                .containsExactly("Daily Wallet", "Salary Card", "Travel Card");
    }

    @Test
    void aLoadAboveTheMaximumBalanceIsRefusedInOneLine() throws TerminalException {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500, SimulatedSim.CNY, 2_000).build();
        String daily = sim.card("Daily Wallet").orElseThrow().aidHex();

        assertThatThrownBy(() -> tap(sim, t -> kernel.load(t, daily, Money.parse("10.00"))))
                .hasMessageStartingWith("cannot load 10.00 CNY onto Daily Wallet: the card refused (6985");
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
    }

    /** Flips a bit of MAC2 in the DEBIT answer, as a bad radio link or a meddler would. */
    static final class Mac2Flipper implements Transport {
        private final Transport inner;

        Mac2Flipper(Transport inner) {
            this.inner = inner;
        }

        @Override
        public byte[] transceive(byte[] command) throws TransportException {
            byte[] r = inner.transceive(command);
            if ((command[1] & 0xFF) == 0x54 && r.length == 10) {
                r[7] ^= 0x01;
            }
            return r;
        }

        @Override
        public void close() throws TransportException {
            inner.close();
        }
    }
}
