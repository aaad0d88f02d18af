package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.apdu.TerminalWire.Command;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal online, through the real command line against a real issuer host (embedded PostgreSQL): loads
 * authorized by the host (the terminal holds no load key), the simulated SIM's opening balances booked by the
 * host, a torn load retried without a second credit, purchases uploaded right after approval (and approved
 * offline when the host is down), and the hot list refused before DEBIT. The ledger check holds after each test.
 */
class OnlineCommandsTest {

    @TempDir
    static Path hostDir;
    static TestHost host;
    static String admin;

    @TempDir
    Path home;

    @TempDir
    Path data;

    @BeforeAll
    static void startHost() throws Exception {
        host = TestHost.start(hostDir);
        admin = host.adminToken();
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @AfterEach
    void theLedgerHolds() {
        Map<String, Object> check = host.ledgerCheck();
        assertThat(check.get("balanced")).as(check.toString()).isEqualTo(true);
        assertThat((java.util.List<?>) check.get("card_mismatches")).as(check.toString()).isEmpty();
    }

    @Test
    void aLoadIsAuthorizedByTheHostAndTheSimsOpeningBalancesAreBookedThere() throws Exception {
        Cli cli = new Cli(home);
        String[] h = host.args(data);

        Cli.Run r = cli.run("load", "--amount", "100", "--card", "Daily=15", "--json", "--data-dir", data.toString(),
                h[0], h[1], h[2], h[3]);

        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = r.json();
        assertThat(o.get("balance_before").getAsString()).isEqualTo("15.00");
        assertThat(o.get("balance_after").getAsString()).isEqualTo("115.00");
        assertThat(o.get("host").getAsString()).isEqualTo("posted");
        String serial = cardSerialOfNewestRecord();
        JsonObject card = get("/v1/admin/cards/" + serial, admin);
        assertThat(card.get("float").getAsLong()).as("opening 15.00 + loaded 100.00, all through the host").isEqualTo(11_500);
        assertThat(card.get("posted_loads").getAsLong()).isEqualTo(11_500);
    }

    @Test
    void withoutAHostALoadIsOneErrorLineAndChangesNothing() throws Exception {
        Cli.Run r = new Cli(home).run("load", "--amount", "5", "--data-dir", data.toString());

        assertThat(r.singleError()).contains("loads are online: give the issuer host with --host URL");
        assertThat(Cli.journal(data)).isEmpty();
    }

    @Test
    void aLoadRetriedAfterATornOneCreditsOnce() throws Exception {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        boolean[] tear = {true};
        Cli cli = new Cli(home).reader("sim", name -> {
            Transport card = Readers.connect(sim.terminal());
            return new Transport() {
                @Override
                public byte[] transceive(byte[] command) throws TransportException {
                    byte[] response = card.transceive(command);
                    if (Command.of(command) == Command.CREDIT_FOR_LOAD && tear[0]) {
                        tear[0] = false;
                        throw new CardRemovedException("the card left the field"); // credited; the answer is lost
                    }
                    return response;
                }

                @Override
                public void close() throws TransportException {
                    card.close();
                }
            };
        });
        String[] h = host.args(data);
        String[] load = {"load", "--amount", "50", "--reader", "sim", "--test-keys", "--data-dir", data.toString(), h[0], h[1],
            h[2], h[3]};

        Cli.Run torn = cli.run(load);
        Cli.Run again = cli.run(load);

        assertThat(torn.singleError()).contains("the card left the field");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("this tap completes the torn load above").contains("issuer host     posted");
        assertThat(sim.balance("Daily Wallet")).as("credited once").isEqualTo(1_500 + 5_000);
        JsonObject card = get("/v1/admin/cards/" + cardSerialOfNewestRecord(), admin);
        assertThat(card.get("posted_loads").getAsLong()).as("the host posted the one credit").isEqualTo(5_000);
        assertThat(Cli.journal(data)).extracting(JournalRecord::state).containsExactly(TransactionState.RECOVERED);
    }

    @Test
    void payUploadsRightAfterApprovalAndApprovesOfflineWhenTheHostIsDown() throws Exception {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));
        String[] h = host.args(data);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }

        Cli.Run online = cli.run("pay", "--amount", "2", "--reader", "sim", "--test-keys", "--json", "--data-dir",
                data.toString(), h[0], h[1], h[2], h[3]);
        Cli.Run offline = cli.run("pay", "--amount", "3", "--reader", "sim", "--test-keys", "--data-dir", data.toString(),
                "--host", "http://127.0.0.1:" + closed, "--token", h[3]);
        Cli.Run upload = cli.run("upload", "--json", "--data-dir", data.toString(), h[0], h[1], h[2], h[3]);

        assertThat(online.exit()).as(online.err()).isZero();
        assertThat(online.json().get("upload").getAsString()).isEqualTo("cleared");
        assertThat(offline.exit()).as("approved offline: " + offline.err()).isZero();
        assertThat(offline.out()).startsWith("approved: CNY 3.00").contains("upload waits for nfcpay upload")
                .contains("unreachable");
        assertThat(upload.json().get("cleared").getAsInt()).as("the offline one, later").isEqualTo(1);
        try (Journal j = Journal.open(data.resolve(NfcpayCommand.JOURNAL_FILE))) {
            assertThat(j.unacknowledgedPurchases(10)).isEmpty();
        }
    }

    @Test
    void aCardOnTheHotListIsDeclinedBeforeDebitAndTheListIsKeptForOfflineUse() throws Exception {
        SimulatedSim sim = SimulatedSim.builder().card("Daily", 1_500).build();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));
        String[] h = host.args(data);
        SimCard daily = sim.card("Daily").orElseThrow();
        String serial = HexFormat.of().withUpperCase().formatHex(daily.serial());
        send("PUT", "/v1/hotlist/" + serial, admin);
        try {
            Cli.Run online = cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--data-dir", data.toString(),
                    h[0], h[1], h[2], h[3]);
            Cli.Run offline = cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--json", "--data-dir",
                    data.toString());

            assertThat(online.exit()).isEqualTo(2);
            assertThat(online.out()).startsWith("declined: CNY 1.00: Daily: card on the hot list");
            assertThat(offline.json().get("reason").getAsString()).as("the kept list, without the host")
                    .contains("card on the hot list");
            assertThat(sim.balance("Daily")).as("never debited").isEqualTo(1_500);
            assertThat(Cli.journal(data)).as("nothing reached DEBIT").isEmpty();
        } finally {
            send("DELETE", "/v1/hotlist/" + serial, admin);
        }
        Cli.Run unlisted = cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--data-dir", data.toString(),
                h[0], h[1], h[2], h[3]);
        assertThat(unlisted.exit()).as("control: once off the list, the card pays: " + unlisted.err()).isZero();
    }

    private String cardSerialOfNewestRecord() throws Exception {
        return HexFormat.of().withUpperCase().formatHex(Cli.journal(data).stream()
                .filter(r -> r.kind() == TransactionKind.LOAD).findFirst().orElseThrow().cardSerial());
    }

    private static JsonObject get(String path, String token) throws Exception {
        return JsonParser.parseString(send("GET", path, token)).getAsJsonObject();
    }

    private static String send(String method, String path, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(host.url() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
