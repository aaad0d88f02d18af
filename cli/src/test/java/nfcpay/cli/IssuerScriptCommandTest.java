package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nfcpay block} / {@code nfcpay unblock} through the real command line, against a real issuer host (embedded
 * PostgreSQL, loopback) and simulated SIMs personalized with the maintenance key from the test MAMK.
 */
class IssuerScriptCommandTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

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

    private Cli.Run run(Cli cli, String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--data-dir", data.toString(), "--host", host.url(), "--token", admin}, 0, all,
                args.length, 6);
        return cli.run(all);
    }

    /** Issue 14 item 1's attack through the reader: SELECT, then ten INITIALIZE for 1 fen + DEBIT with a random MAC1. */
    private static void lockWithTwentyOneApdus(SimulatedSim sim, SimCard card) throws Exception {
        SecureRandom random = new SecureRandom();
        try (Transport t = Readers.connect(sim.terminal())) {
            t.transceive(HEX.parseHex("00A4040008" + card.aidHex() + "00"));
            for (int i = 0; i < 10; i++) {
                t.transceive(HEX.parseHex("805001020B" + "01" + "00000001" + "001122334455" + "0F"));
                byte[] debit = new byte[15];
                random.nextBytes(debit);
                t.transceive(HEX.parseHex("805401000F" + HEX.formatHex(debit) + "08"));
            }
            byte[] init = t.transceive(HEX.parseHex("805001020B" + "01" + "00000001" + "001122334455" + "0F"));
            assertThat(HEX.formatHex(init)).as("locked").isEqualTo("9303");
        }
    }

    @Test
    void aPurseLockedByTwentyOneApdusPaysAgainAfterTheOperatorUnblocksIt() throws Exception {
        SimulatedSim sim = SimulatedSim.builder().card("Daily", 1_500).build();
        SimCard daily = sim.card("Daily").orElseThrow();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));
        lockWithTwentyOneApdus(sim, daily);
        Cli.Run locked = cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--data-dir", data.toString());
        assertThat(locked.exit()).as(locked.out() + locked.err()).isNotZero();

        Cli.Run unblock = run(cli, "unblock", "--reader", "sim", "--test-keys", "--card", "Daily");

        assertThat(unblock.exit()).as(unblock.err()).isZero();
        assertThat(unblock.out().lines().toList()).as("one line, and the test-keys footer").hasSize(2)
                .last().isEqualTo("(test keys)");
        assertThat(unblock.out()).startsWith("unblocked: Daily (" + daily.aidHex() + "), card ****")
                .contains("active -> active").doesNotContain(HEX.formatHex(daily.serial()));
        Cli.Run paid = cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--data-dir", data.toString());
        assertThat(paid.exit()).as(paid.err()).isZero();
        assertThat(sim.balance("Daily")).isEqualTo(1_400);
    }

    @Test
    void blockStopsPaymentsUntilUnblock() throws Exception {
        SimulatedSim sim = SimulatedSim.builder().card("Daily", 1_500).build();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));

        Cli.Run block = run(cli, "block", "--reader", "sim", "--test-keys", "--card", "Daily", "--json");
        assertThat(block.exit()).as(block.err()).isZero();
        assertThat(block.json().get("before").getAsString()).isEqualTo("active");
        assertThat(block.json().get("after").getAsString()).isEqualTo("blocked");
        Cli.Run refused = cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--data-dir", data.toString());
        assertThat(refused.exit()).as("declined: " + refused.out() + refused.err()).isEqualTo(2);
        assertThat(Cli.journal(data)).as("nothing reached DEBIT").isEmpty();

        Cli.Run unblock = run(cli, "unblock", "--reader", "sim", "--test-keys", "--card", "Daily");
        assertThat(unblock.exit()).as(unblock.err()).isZero();
        assertThat(unblock.out()).contains("blocked -> active");
        assertThat(cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--data-dir", data.toString()).exit())
                .isZero();
        assertThat(sim.balance("Daily")).isEqualTo(1_400);
    }

    @Test
    void aPermanentBlockIsForGood() throws Exception {
        SimulatedSim sim = SimulatedSim.builder().card("Daily", 1_500).build();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));
        Cli.Run block = run(cli, "block", "--permanent", "--reader", "sim", "--test-keys", "--card", "Daily");
        assertThat(block.exit()).as(block.err()).isZero();
        assertThat(block.out()).startsWith("blocked for good: Daily").contains("active -> blocked for good");
        String line = run(cli, "unblock", "--reader", "sim", "--test-keys", "--card", "Daily").singleError();
        assertThat(line).contains("blocked for good");
    }

    @Test
    void aHotListedCardIsBlockedButNotUnblocked() throws Exception {
        SimulatedSim sim = SimulatedSim.builder().card("Daily", 1_500).build();
        SimCard daily = sim.card("Daily").orElseThrow();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));
        String serial = HEX.formatHex(daily.serial());
        send("PUT", "/v1/hotlist/" + serial);
        try {
            assertThat(run(cli, "block", "--reader", "sim", "--test-keys", "--card", "Daily").exit()).isZero();
            String line = run(cli, "unblock", "--reader", "sim", "--test-keys", "--card", "Daily").singleError();
            assertThat(line).contains("hotlisted").doesNotContain(serial);
        } finally {
            send("DELETE", "/v1/hotlist/" + serial);
        }
        assertThat(run(cli, "unblock", "--reader", "sim", "--test-keys", "--card", "Daily").exit()).as("off the list").isZero();
    }

    @Test
    void onTheEmbeddedSimTheMaintenanceKeyIsTheOneTheHostDerives() {
        Cli.Run block = run(new Cli(home), "block", "--card", "Daily Wallet=15", "--card", "Travel=20");
        assertThat(block.exit()).as(block.err()).isZero();
        assertThat(block.out()).startsWith("blocked: Daily Wallet (").contains("active -> blocked");
    }

    @Test
    void badInputIsOneLineAndChangesNothing() throws Exception {
        SimulatedSim sim = SimulatedSim.builder().card("Daily", 1_500).build();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));
        Cli.Run noHost = cli.run("block", "--reader", "sim", "--test-keys", "--card", "Daily", "--data-dir", data.toString());
        assertThat(noHost.exit()).isNotZero();
        assertThat(noHost.err()).contains("--host");
        String terminalToken = host.tokenFor(data);
        Cli.Run forbidden = cli.run("block", "--reader", "sim", "--test-keys", "--card", "Daily", "--data-dir",
                data.toString(), "--host", host.url(), "--token", terminalToken);
        assertThat(forbidden.singleError()).contains("forbidden");
        Cli.Run unknown = run(cli, "block", "--reader", "sim", "--test-keys", "--aid", "F0000008249999");
        assertThat(unknown.singleError()).contains("no card with AID");
        assertThat(cli.run("pay", "--amount", "1", "--reader", "sim", "--test-keys", "--data-dir", data.toString()).exit())
                .as("still pays").isZero();
    }

    private static void send(String method, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(host.url() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + admin)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
    }
}
