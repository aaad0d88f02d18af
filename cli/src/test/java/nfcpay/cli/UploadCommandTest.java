package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import nfcpay.host.Host;
import nfcpay.host.keys.SoftwareKeyService;
import nfcpay.terminal.journal.Journal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purchases made by the real applets on the simulated SIM, cleared by a real host (embedded PostgreSQL):
 * the host verifies the applets' TACs, each purchase clears once however often the upload runs, and the
 * journal remembers what the host acknowledged.
 */
class UploadCommandTest {

    @TempDir
    static Path hostDir;
    static Host host;

    @BeforeAll
    static void start() throws Exception {
        host = Host.start(hostDir, 0, Optional.empty(), SoftwareKeyService.withTestKeys());
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void uploadsTheJournalsPurchasesOnceAndRemembersTheAnswers(@TempDir Path home, @TempDir Path data) throws Exception {
        Cli cli = new Cli(home);
        assertThat(cli.run("pay", "--amount", "12.34", "--data-dir", data.toString()).exit()).isZero();
        assertThat(cli.run("pay", "--amount", "1.00", "--data-dir", data.toString()).exit()).isZero();
        String terminalId;
        try (Journal j = Journal.open(data.resolve(NfcpayCommand.JOURNAL_FILE))) {
            terminalId = java.util.HexFormat.of().withUpperCase().formatHex(j.terminalId());
        }
        String token = Host.issueToken(hostDir, Optional.empty(), terminalId);

        Cli.Run first = cli.run("upload", "--host", host.url(), "--token", token, "--data-dir", data.toString(), "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.json().get("cleared").getAsInt()).isEqualTo(2);

        Cli.Run again = cli.run("upload", "--host", host.url(), "--token", token, "--data-dir", data.toString(), "--json");
        assertThat(again.json().get("cleared").getAsInt()).as("acknowledged: not sent again").isZero();
        assertThat(again.json().get("duplicate").getAsInt()).isZero();

        Map<String, Object> check = host.ledgerCheck();
        assertThat(check.get("balanced")).as(check.toString()).isEqualTo(true);
        assertThat(check.get("postings")).isEqualTo(2L);
    }

    @Test
    void aWrongTokenOrAnUnreachableHostIsOneLineAndAcknowledgesNothing(@TempDir Path home, @TempDir Path data) throws Exception {
        Cli cli = new Cli(home);
        assertThat(cli.run("pay", "--amount", "2.00", "--data-dir", data.toString()).exit()).isZero();
        assertThat(cli.run("upload", "--host", host.url(), "--token", "nope", "--data-dir", data.toString()).singleError())
                .contains("unauthorized");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        assertThat(cli.run("upload", "--host", "http://127.0.0.1:" + closed, "--token", "x", "--data-dir", data.toString())
                .singleError()).contains("unreachable");
        try (Journal j = Journal.open(data.resolve(NfcpayCommand.JOURNAL_FILE))) {
            assertThat(j.unacknowledgedPurchases(10)).hasSize(1);
        }
    }
}
