package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nfcpay.sim.pcsc.FakeVpcd;
import nfcpay.sim.pcsc.VpcdCard;
import nfcpay.terminal.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nfcpay sim --pcsc} in this process against the sim module's fake vpcd (the pcscd side of
 * the socket), so it runs without pcscd: what it prints, the commands on standard input, --trace,
 * and an unreachable vpcd. The real stack is {@code SimPcscIT}'s.
 */
class SimCommandTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String SELECT_PPSE = "00A404000E325041592E5359532E444446303100";

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private PipedOutputStream stdin;
    private CompletableFuture<Integer> running;
    private FakeVpcd vpcd;

    @AfterEach
    void stop() throws Exception {
        if (running != null && !running.isDone()) {
            command("quit");
            running.get(10, TimeUnit.SECONDS);
        }
        if (vpcd != null) {
            vpcd.close();
        }
    }

    /** Starts {@code nfcpay sim} on another thread, its standard input a pipe the test writes. */
    private void start(String... args) throws IOException {
        stdin = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(stdin);
        CommandLine cl = Main.commandLine(new Environment(Map.of(), home, name -> {
            throw new TransportException("no readers here");
        }, in));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        running = CompletableFuture.supplyAsync(() -> cl.execute(args));
    }

    private void command(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Waits (10 s at most) until {@code text} shows up in {@code where}. */
    private static void awaitText(StringWriter where, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!where.toString().contains(text)) {
            assertThat(System.nanoTime() < deadline).as("waiting for '%s' in:%n%s", text, where).isTrue();
            Thread.sleep(10);
        }
    }

    private String transmit(String apdu) throws IOException {
        return HEX.formatHex(vpcd.transmit(HEX.parseHex(apdu)));
    }

    @Test
    void servesItsCardsToVpcdTracesMaskedAndStopsOnQuit() throws Exception {
        vpcd = new FakeVpcd();
        start("sim", "--pcsc", "--vpcd", "127.0.0.1:" + vpcd.port(), "--trace",
                "--card", "Lunch=15", "--card", "Salary=320.00", "--policy", "best-fit");
        vpcd.accept();
        assertThat(vpcd.atr()).isNotEmpty();

        String directory = transmit(SELECT_PPSE);
        String chosen = transmit("80A800000F830D" + "000000002000" + "0156" + "00" + "1122334400"); // 20.00 CNY
        String purse = transmit("00A4040008F00000082401010200");
        command("status");
        awaitText(out, "inserted (connected");
        command("quit");

        assertThat(running.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(directory).endsWith("9000").contains(ascii("Lunch"), ascii("Salary"));
        assertThat(chosen).as("best fit for 20.00: the only card that covers it").contains("F000000824010102").endsWith("9000");
        assertThat(purse).endsWith("9000").contains("9F0C");
        assertThat(out.toString()).startsWith("nfcpay sim: a simulated SIM with 2 cards, smart selection (policy best-fit)")
                .contains("1         Lunch   F000000824010101  CNY 15.00", "2         Salary  F000000824010102  CNY 320.00",
                        "(test keys)", "card ready in reader \"the vpcd reader on port " + vpcd.port() + "\"",
                        "inserted (connected, 3 APDUs, 1 connections)", "stopped");
        assertThat(err.toString()).contains("nfcpay sim: connected to vpcd at 127.0.0.1:" + vpcd.port(),
                ">> " + SELECT_PPSE, "nfcpay sim: stopping; the card leaves")
                .as("the purse's serial, masked in the trace").contains("********")
                .doesNotContain(purse.substring(purse.indexOf("9F0C"), purse.length() - 4))
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aVpcdThatIsNotThereIsNoErrorTheSimSaysSoOnceAndConnectsWhenItComes() throws Exception {
        vpcd = new FakeVpcd();
        vpcd.stopListening(); // as before pcscd starts: connections refused

        start("sim", "--pcsc", "--vpcd", "127.0.0.1:" + vpcd.port());
        awaitText(err, "not reachable");
        awaitText(out, "card NOT ready"); // not "card ready" while nothing listens (issue 16)
        vpcd.listenAgain();
        vpcd.accept().atr();
        awaitText(err, "nfcpay sim: connected to vpcd");
        command("quit");

        assertThat(running.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(err.toString().split("not reachable", -1)).as("said once, however often it retried").hasSize(2);
        assertThat(err.toString()).contains("nfcpay sim: vpcd not reachable at 127.0.0.1:" + vpcd.port(),
                "retrying until it is", VpcdCard.SETUP_HINT).doesNotContain("nfcpay: error");
        assertThat(out.toString()).as("the demo wallet").contains("Daily Wallet", "Salary Card", "Travel Card")
                .as("not 'card ready' while vpcd is unreachable (issue 16)").doesNotContain("card ready in")
                .contains("card NOT ready: waiting for vpcd at 127.0.0.1:" + vpcd.port());
    }

    @Test
    void withAHostItsOpeningBalancesAreLoadedThroughIt(@TempDir Path hostDir, @TempDir Path data) throws Exception {
        try (TestHost host = TestHost.start(hostDir)) {
            vpcd = new FakeVpcd();
            String[] h = host.args(data);
            start("sim", "--pcsc", "--vpcd", "127.0.0.1:" + vpcd.port(), "--card", "Lunch=15", "--card", "Salary=320.00",
                    "--data-dir", data.toString(), h[0], h[1], h[2], h[3]);
            vpcd.accept();
            command("quit");
            assertThat(running.get(10, TimeUnit.SECONDS)).as(err.toString()).isZero();

            java.util.Map<String, Object> check = host.ledgerCheck();
            assertThat(check.get("balanced")).isEqualTo(true);
            assertThat(check.get("cards_checked")).as("both cards' floats, booked by the host").isEqualTo(2);
            assertThat(check.get("postings")).as("the two opening loads, posted on their TACs").isEqualTo(2L);
        }
    }

    @Test
    void helpSaysHowToStartPcscdFirstAndListsTheCommands() {
        Cli.Run r = new Cli(home).run("sim", "--help");

        assertThat(r.exit()).isZero();
        String help = HelpAndVersionTest.flat(r.out());
        assertThat(help).contains(HelpAndVersionTest.flat(VpcdCard.SETUP_HINT), "scripts/pcsc-up.sh", "--pcsc",
                "--vpcd=HOST:PORT", "--card=LABEL=AMOUNT[@CUR]", "--policy=POLICY", "--legacy",
                "remove", "insert", "toggle", "status", "quit", "Ctrl-C or SIGTERM", "\"Virtual PCD 00 00\"");
    }

    private static String ascii(String s) {
        return HEX.formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }
}
