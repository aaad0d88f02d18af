package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.kernel.PurchaseResult.Outcome;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.testing.Transcript;
import nfcpay.terminal.transport.CardRemovedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transcript replay: the kernel must send exactly the recorded commands (MAC1 included, so the
 * security module's arithmetic is pinned too) and draw the recorded conclusions from the card's
 * answers. The transcripts are in src/test/resources/nfcpay/terminal/transcripts.
 */
class KernelTranscriptTest {

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
    void legacyCardFirstCandidateShortSecondPays() throws TerminalException {
        Transcript.Replay card = Transcript.resource("legacy-fallback.apdu").tap(0);

        PurchaseResult r = kernel.purchase(card, Money.parse("20.00"));

        card.assertFinished();
        assertThat(r.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(r.application()).isEqualTo(new CardApplication("F000000824010102", "Salary Card", 2));
        assertThat(r.balanceAfter()).isEqualTo(Money.parse("300.00"));
        assertThat(r.tac()).isEqualTo("0A5628B7");
        assertThat(r.maskedSerial()).isEqualTo("****************0002");
        assertThat(journal.find(r.journalId()).orElseThrow().state()).isEqualTo(TransactionState.COMPLETED);
    }

    @Test
    void wrongMac2IsReportedNotApproved() throws TerminalException {
        Transcript.Replay card = Transcript.resource("mac2-failure.apdu").tap(0);

        PurchaseResult r = kernel.purchase(card, Money.parse("12.34"));

        card.assertFinished();
        assertThat(r.outcome()).isEqualTo(Outcome.MAC2_FAILED);
        assertThat(r.approved()).isFalse();
        JournalRecord rec = journal.find(r.journalId()).orElseThrow();
        assertThat(rec.state()).isEqualTo(TransactionState.MAC2_FAILED);
        assertThat(rec.tacHex()).isEqualTo(r.tac()).isNotNull();
    }

    @Test
    void smartSelectionDeclineIsOneAnswer() throws TerminalException {
        Transcript.Replay card = Transcript.resource("smart-declined.apdu").tap(0);

        PurchaseResult r = kernel.purchase(card, Money.parse("500.00"));

        card.assertFinished();
        assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(r.reason()).isEqualTo(PurchaseResult.INSUFFICIENT_FUNDS_ON_EVERY_CARD);
        assertThat(journal.list(10)).isEmpty();
    }

    @Test
    void aTornDebitIsRecoveredOnTheNextTapWithTheProofsTac() throws TerminalException {
        Transcript transcript = Transcript.resource("torn-debit-recovered.apdu");
        Transcript.Replay first = transcript.tap(0);
        assertThatThrownBy(() -> kernel.purchase(first, Money.parse("12.34"))).isInstanceOf(CardRemovedException.class);
        first.assertFinished();
        assertThat(journal.pending()).singleElement().satisfies(p -> assertThat(p.counter()).isZero());

        Transcript.Replay second = transcript.tap(1);
        PurchaseResult r = kernel.purchase(second, Money.parse("1.00"));

        second.assertFinished();
        assertThat(r.approved()).isTrue();
        assertThat(r.recoveries()).singleElement().satisfies(x -> {
            assertThat(x.state()).isEqualTo(TransactionState.RECOVERED);
            assertThat(x.tac()).isEqualTo("5507AFD6"); // GET TRANSACTION PROVE answers MAC2 | TAC
        });
        assertThat(journal.pending()).isEmpty();
        assertThat(r.balanceAfter()).isEqualTo(Money.parse("36.66"));
    }

    @Test
    void aTranscriptWithAnotherMac1FailsTheReplay() {
        String tampered = "# the recorded MAC1 differs from what the kernel computes\n"
                + ">> 00A404000E325041592E5359532E444446303100\n"
                + "<< 6F40840E325041592E5359532E4444463031A52EBF0C1D611B4F08F000000824010101500C4461696C792057616C6C6574"
                + "8701019F380B9F02065F2A029C019F3704 9000\n"
                + ">> 80A800000F830D0000000012340156000A0B0C0D00\n"
                + "<< 771B4F08F000000824010101500C4461696C792057616C6C6574870101 9000\n"
                + ">> 00A4040008F00000082401010100\n"
                + "<< 6F3E8408F000000824010101A532500C4461696C792057616C6C65748701019F0C1E0102030405060708020186240000"
                + "00000000000120200101204912310156 9000\n"
                + ">> 805001020B01000004D20011223344550F\n"
                + "<< 00001388000000000001001FFFE5BA 9000\n"
                + ">> 805401000F0000000120260301123456DEADBEEF08\n"
                + "<< 0000000000000000 9000\n";
        Transcript.Replay card = Transcript.parse("tampered", tampered).tap(0);

        assertThatThrownBy(() -> kernel.purchase(card, Money.parse("12.34"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("DEADBEEF");
    }
}
