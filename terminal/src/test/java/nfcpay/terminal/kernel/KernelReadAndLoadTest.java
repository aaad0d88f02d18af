package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.List;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.InProcessIssuer;
import nfcpay.terminal.testing.FakeWallet;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's other entries: the directory, the balance, the card's log, a load; and write-ahead at DEBIT. */
class KernelReadAndLoadTest {

    @TempDir
    Path dir;
    Journal journal;
    Kernel kernel;
    FakeWallet sim;

    @BeforeEach
    void open() throws TerminalException {
        journal = Fixtures.journal(dir);
        kernel = Fixtures.kernel(journal);
        sim = new FakeWallet(false, 5).purse("Daily", 1_500).purse("Salary", 32_000);
    }

    @AfterEach
    void close() throws TerminalException {
        journal.close();
    }

    @Test
    void readsTheDirectoryInPriorityOrder() throws TerminalException {
        Directory d = kernel.readDirectory(sim);

        assertThat(d.smartSelection()).isTrue();
        assertThat(d.applications()).containsExactly(new CardApplication("F000000824010101", "Daily", 1),
                new CardApplication("F000000824010102", "Salary", 2));
        assertThat(kernel.readDirectory(new FakeWallet(true, 1).purse("X", 1)).smartSelection()).isFalse();
    }

    @Test
    void readsTheBalanceAndTheLogNewestFirst() throws TerminalException {
        String salary = sim.purse("Salary").aid;
        kernel.purchase(sim, Money.parse("20.00"));
        sim.close();
        kernel.purchase(sim, Money.parse("30.00"));
        sim.close();

        assertThat(kernel.getBalance(sim, salary)).isEqualTo(Money.parse("270.00"));
        CardLog log = kernel.readLog(sim, salary.toLowerCase());

        assertThat(log.application().label()).isEqualTo("Salary");
        assertThat(log.maskedSerial()).isEqualTo("****************0002");
        assertThat(log.records()).extracting(LogRecord::amount).containsExactly(Money.parse("30.00"), Money.parse("20.00"));
        LogRecord newest = log.records().get(0);
        assertThat(newest.counter()).isEqualTo(1);
        assertThat(newest.kind()).isEqualTo(TransactionKind.PURCHASE);
        assertThat(newest.terminalId()).isEqualTo("001122334455");
        assertThat(newest.date()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(newest.time()).isEqualTo(LocalTime.of(12, 34, 56));
        assertThat(kernel.readLog(sim, sim.purse("Daily").aid).records()).isEmpty();
    }

    @Test
    void anUnknownAidIsOneClearLine() {
        assertThatThrownBy(() -> kernel.getBalance(sim, "F0000008240101FF")).isInstanceOf(TerminalException.class)
                .hasMessage("no application F0000008240101FF on this card");
        assertThatThrownBy(() -> kernel.readLog(sim, "not hex")).hasMessage("not an AID: 'not hex'");
    }

    @Test
    void loadsThroughTheLoadProtocolAndJournalsIt() throws TerminalException {
        String daily = sim.purse("Daily").aid;

        LoadResult r = kernel.load(sim, daily, Money.parse("100.00"));

        assertThat(r.balanceBefore()).isEqualTo(Money.parse("15.00"));
        assertThat(r.balanceAfter()).isEqualTo(Money.parse("115.00"));
        assertThat(sim.purse("Daily").balance).isEqualTo(11_500);
        assertThat(r.tac()).isEqualTo(Bytes.hex(java.util.Arrays.copyOfRange(sim.purse("Daily").loadProof, 6, 10)));
        assertThat(r.testKeys()).isTrue();
        JournalRecord rec = journal.find(r.journalId()).orElseThrow();
        assertThat(rec.kind()).isEqualTo(TransactionKind.LOAD);
        assertThat(rec.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(rec.tacHex()).isEqualTo(r.tac());
    }

    @Test
    void aLoadIsConfirmedToTheIssuerWithTheCardsTac() throws TerminalException {
        InProcessIssuer issuer = new InProcessIssuer(journal.terminalId());
        Kernel k = Fixtures.kernel(journal, issuer);

        LoadResult r = k.load(sim, sim.purse("Daily").aid, Money.parse("100.00"));

        assertThat(r.hostConfirmation()).isEqualTo("posted");
        assertThat(issuer.authorizations).isEqualTo(1);
        assertThat(issuer.confirmations).isEqualTo(1);
        assertThat(journal.unconfirmedLoads(10)).isEmpty();
    }

    @Test
    void aLoadWhoseMac1TheIssuerRejectsCreditsNothing() throws TerminalException {
        byte[] other = Bytes.fromHex("0F1E2D3C4B5A69788796A5B4C3D2E1F0");
        Kernel k = Fixtures.kernel(journal, new InProcessIssuer(journal.terminalId(),
                new nfcpay.crypto.IssuerMasterKeys(other, other, other, false)));

        assertThatThrownBy(() -> k.load(sim, sim.purse("Daily").aid, Money.parse("100.00")))
                .hasMessage("the issuer host rejected the card's MAC1 for Daily (not a card of this issuer, or altered on"
                        + " the way): nothing loaded");
        assertThat(sim.purse("Daily").balance).isEqualTo(1_500);
        assertThat(journal.list(10)).isEmpty();
    }

    @Test
    void withoutAnIssuerHostOrWhenItIsUnreachableNothingIsLoaded() throws TerminalException {
        Kernel offline = Kernel.builder().journal(journal).clock(Fixtures.CLOCK).build();
        assertThatThrownBy(() -> offline.load(sim, sim.purse("Daily").aid, Money.parse("1.00")))
                .hasMessageContaining("loads are online");
        InProcessIssuer issuer = new InProcessIssuer(journal.terminalId());
        issuer.down = true;
        assertThatThrownBy(() -> Fixtures.kernel(journal, issuer).load(sim, sim.purse("Daily").aid, Money.parse("1.00")))
                .hasMessageContaining("unreachable").hasMessageEndingWith(": nothing loaded");
        assertThat(sim.purse("Daily").balance).isEqualTo(1_500);
        assertThat(journal.list(10)).isEmpty();
    }

    @Test
    void aCardOnTheHotListIsDeclinedBeforeDebit() throws TerminalException {
        String serial = Bytes.hex(sim.purse("Daily").serial);
        Kernel k = Kernel.builder().journal(journal).clock(Fixtures.CLOCK).random(Fixtures.UN)
                .hotList(java.util.Set.of(serial.toLowerCase(java.util.Locale.ROOT))).build();

        nfcpay.terminal.kernel.PurchaseResult r = k.purchase(sim, Money.parse("1.00"));

        assertThat(r.outcome()).isEqualTo(nfcpay.terminal.kernel.PurchaseResult.Outcome.DECLINED);
        assertThat(r.reason()).contains("card on the hot list");
        assertThat(sim.purse("Daily").balance).as("not debited").isEqualTo(1_500);
        assertThat(journal.list(10)).as("nothing sent to DEBIT, nothing journaled").isEmpty();
        assertThat(Fixtures.kernel(journal).purchase(sim, Money.parse("1.00")).outcome())
                .as("control: the same purchase without the hot list is approved")
                .isEqualTo(nfcpay.terminal.kernel.PurchaseResult.Outcome.APPROVED);
    }

    @Test
    void aPurchaseIsJournaledPendingAndCommittedBeforeDebitLeavesTheTerminal() throws TerminalException {
        Path file = journal.file();
        Transport spy = new Transport() {
            @Override
            public byte[] transceive(byte[] command) throws TransportException {
                if ((command[0] & 0xFF) == 0x80 && command[1] == 0x54) {
                    // another process's view of the file at the moment DEBIT is sent
                    try (Journal other = Journal.open(file, HexFormat.of().parseHex("999999999999"), Fixtures.CLOCK)) {
                        List<JournalRecord> pending = other.pending();
                        assertThat(pending).singleElement().satisfies(p -> {
                            assertThat(p.amount()).isEqualTo(Money.parse("12.34"));
                            assertThat(p.counter()).isEqualTo(sim.purse("Daily").offlineCounter);
                            assertThat(p.terminalSerial()).isEqualTo(Bytes.u32(command, 5));
                        });
                    } catch (TerminalException e) {
                        throw new AssertionError(e);
                    }
                }
                return sim.transceive(command);
            }

            @Override
            public void close() {}
        };

        assertThat(kernel.purchase(spy, Money.parse("12.34")).approved()).isTrue();
        assertThat(journal.pending()).isEmpty();
    }

    @Test
    void theTerminalIdOfTheJournalIsTheOneTheCardSees() throws TerminalException {
        kernel.purchase(sim, Money.parse("1.00"));

        byte[] record = sim.purse("Daily").log.get(0);
        assertThat(java.util.Arrays.copyOfRange(record, 10, 16)).isEqualTo(journal.terminalId());
    }
}
