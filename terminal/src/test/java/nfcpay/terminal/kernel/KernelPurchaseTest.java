package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.PurchaseResult.Outcome;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.FakeWallet;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.transport.TracingTransport;
import nfcpay.terminal.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purchase flow of PROTOCOL.md 4.1-4.3 against a stand-in card (see FakeWallet). */
class KernelPurchaseTest {

    @TempDir
    Path dir;
    Journal journal;
    Kernel kernel;

    @BeforeEach
    void open() throws TerminalException {
        journal = Fixtures.journal(dir);
        kernel = Fixtures.kernel(journal);
    }

    @AfterEach
    void close() throws TerminalException {
        journal.close();
    }

    @Test
    void smartSelectionDefaultCardPaysAndJournalsTheTac() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 1).purse("Daily", 5_000).purse("Salary", 50_000);
        List<String> trace = new ArrayList<>();

        PurchaseResult r = kernel.purchase(new TracingTransport(sim, trace::add), Money.parse("12.34"));

        assertThat(r.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(r.application().label()).isEqualTo("Daily");
        assertThat(r.balanceAfter()).isEqualTo(Money.cny(5_000 - 1_234));
        assertThat(sim.purse("Daily").balance).isEqualTo(5_000 - 1_234);
        assertThat(r.tac()).hasSize(8);
        assertThat(r.testKeys()).isTrue();
        // SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT: one tap, five APDUs
        assertThat(trace.stream().filter(l -> l.startsWith(">>"))).hasSize(5);
        assertThat(trace.get(2)).startsWith(">> 80A800000F830D000000001234015600");
        JournalRecord rec = journal.find(r.journalId()).orElseThrow();
        assertThat(rec.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(rec.tacHex()).isEqualTo(r.tac());
        assertThat(rec.terminalSerial()).isEqualTo(r.terminalSerial()).isEqualTo(1);
    }

    @Test
    void smartSelectionPaysWithAnotherCardWhenTheDefaultIsShort() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 1).purse("Daily", 1_500).purse("Salary", 50_000);

        PurchaseResult r = kernel.purchase(sim, Money.parse("20.00"));

        assertThat(r.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(r.application().label()).isEqualTo("Salary");
        assertThat(sim.purse("Daily").balance).isEqualTo(1_500);
        assertThat(sim.purse("Salary").balance).isEqualTo(48_000);
        assertThat(r.balanceAfter()).isEqualTo(Money.cny(48_000));
    }

    @Test
    void smartSelectionWithNoCoveringCardIsOneClearDecline() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 1).purse("Daily", 1_500).purse("Salary", 1_000);

        PurchaseResult r = kernel.purchase(sim, Money.parse("20.00"));

        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).isEqualTo("insufficient funds on every card");
        assertThat(r.journalId()).isEqualTo(-1);
        assertThat(journal.list(10)).isEmpty();
        // SELECT PPSE, GPO, then the SELECT of the first card to read its 9F0C: it could pay in CNY, so it is the
        // balance, and the other card is not read
        assertThat(sim.commands()).isEqualTo(3);
        assertThat(sim.purses()).extracting(p -> p.balance).containsExactly(1_500L, 1_000L);
    }

    @Test
    void smartSelectionNamesTheCurrencyWhenNoCardIsInIt() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 1).purse("Daily", 1_500).purse("Salary", 50_000);

        PurchaseResult r = kernel.purchase(sim, Money.parse("5", java.util.Currency.getInstance("EUR")));

        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).as("the cards have the money, in another currency: not a balance problem")
                .isEqualTo("no card in EUR on this SIM (its cards are in CNY)");
        assertThat(journal.list(10)).isEmpty();
        assertThat(sim.purses()).extracting(p -> p.balance).containsExactly(1_500L, 50_000L);
    }

    @Test
    void smartSelectionSaysWhichCardsAreShortAndWhichCannotPayAtAll() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 1).purse("Daily", 1_500).purse("Euro", 300);
        sim.purse("Euro").currency = java.util.Currency.getInstance("EUR");

        PurchaseResult r = kernel.purchase(sim, Money.parse("5", java.util.Currency.getInstance("EUR")));

        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).isEqualTo("insufficient funds on every card in EUR (the others cannot pay: Daily: account"
                + " in CNY, not EUR)");
    }

    @Test
    void legacyCardFallsBackToTheNextCandidateOn9401() throws TerminalException {
        FakeWallet sim = new FakeWallet(true, 1).purse("Daily", 1_500).purse("Salary", 50_000);
        List<String> trace = new ArrayList<>();

        PurchaseResult r = kernel.purchase(new TracingTransport(sim, trace::add), Money.parse("20.00"));

        assertThat(r.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(r.application().label()).isEqualTo("Salary");
        assertThat(sim.purse("Salary").balance).isEqualTo(48_000);
        assertThat(trace).contains("<< 9401");
        assertThat(trace.stream().filter(l -> l.startsWith(">> 80A8"))).isEmpty(); // no GPO on a legacy PPSE
    }

    @Test
    void legacyCardWhereNoCandidateCoversSaysSoOnce() throws TerminalException {
        FakeWallet sim = new FakeWallet(true, 1).purse("Daily", 1_500).purse("Salary", 1_000);

        PurchaseResult r = kernel.purchase(sim, Money.parse("20.00"));

        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).isEqualTo("insufficient funds on every card");
    }

    @Test
    void expiredAndForeignCurrencyCardsAreRefusedBeforeInitialize() throws TerminalException {
        FakeWallet sim = new FakeWallet(true, 1).purse("Old", 90_000).purse("Dollars", 90_000).purse("Salary", 50_000);
        sim.purse("Old").expiry = java.time.LocalDate.of(2025, 12, 31);
        sim.purse("Dollars").currency = Currency.getInstance("USD");
        List<String> trace = new ArrayList<>();

        PurchaseResult r = kernel.purchase(new TracingTransport(sim, trace::add), Money.parse("20.00"));

        assertThat(r.application().label()).isEqualTo("Salary");
        assertThat(trace.stream().filter(l -> l.startsWith(">> 805001"))).hasSize(1);
        assertThat(sim.purse("Old").balance).isEqualTo(90_000);
    }

    @Test
    void legacyDeclineNamesEachCardsProblemWhenNotAllAreShort() throws TerminalException {
        FakeWallet sim = new FakeWallet(true, 1).purse("Old", 90_000).purse("Daily", 100);
        sim.purse("Old").expiry = java.time.LocalDate.of(2025, 12, 31);

        PurchaseResult r = kernel.purchase(sim, Money.parse("20.00"));

        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).isEqualTo("no card can pay (Old: expired on 2025-12-31; Daily: insufficient funds)");
    }

    @Test
    void wrongMac2IsReportedAndJournaledNeverApproved() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 1).purse("Daily", 5_000);
        sim.purse("Daily").corruptMac2 = true;

        PurchaseResult r = kernel.purchase(sim, Money.parse("10.00"));

        assertThat(r.outcome()).isEqualTo(Outcome.MAC2_FAILED);
        assertThat(r.approved()).isFalse();
        assertThat(r.reason()).contains("MAC2");
        JournalRecord rec = journal.find(r.journalId()).orElseThrow();
        assertThat(rec.state()).isEqualTo(TransactionState.MAC2_FAILED);
        assertThat(rec.tacHex()).isEqualTo(r.tac()).isNotNull();
    }

    @Test
    void eachPurchaseTakesTheNextTerminalSerial() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 1).purse("Daily", 5_000);

        long first = kernel.purchase(sim, Money.parse("1.00")).terminalSerial();
        sim.close();
        long second = kernel.purchase(sim, Money.parse("1.00")).terminalSerial();

        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void aCardWithoutPpseIsNotAPaymentSim() {
        Transport blank = new FakeWallet(false, 1);

        assertThatThrownBy(() -> kernel.purchase(blank, Money.parse("1.00")))
                .isInstanceOf(TerminalException.class)
                .hasMessageContaining("6A82").hasMessageContaining("not an nfcpay SIM");
    }
}
