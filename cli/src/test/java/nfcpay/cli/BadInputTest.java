package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every input the command line cannot take: one line on stderr naming the problem, exit 1, nothing journaled. */
class BadInputTest {

    /** A journal with one completed purchase, made once and copied into each test's data directory. */
    @TempDir
    static Path template;

    @TempDir
    Path home;

    @TempDir
    Path data;

    Cli cli;

    /** Stands for --host URL --token TOKEN of the test's host and the journal's terminal. */
    static final String HOST = "<host>";
    /** Stands for the test's host URL. */
    static final String HOST_URL = "<host url>";

    @TempDir
    static Path hostDir;
    static TestHost host;
    static String token;

    @BeforeAll
    static void journalOnePurchase(@TempDir Path templateHome) throws Exception {
        Cli.Run pay = new Cli(templateHome).run("pay", "--amount", "1", "--data-dir", template.toString());
        assertThat(pay.exit()).as(pay.err()).isZero();
        host = TestHost.start(hostDir);
        token = host.tokenFor(template);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void aTerminalWithOnePurchaseJournaled() throws IOException {
        try (Stream<Path> files = Files.list(template)) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(f.getFileName()));
            }
        }
        SimulatedSim[] sim = new SimulatedSim[1]; // built on the first tap: most cases never get that far
        cli = new Cli(home)
                .reader("sim", name -> {
                    if (sim[0] == null) {
                        sim[0] = SimulatedSim.defaultWallet();
                    }
                    return Readers.connect(sim[0].terminal());
                })
                .reader("bank card", name -> new NotAPaymentSim());
        Files.writeString(home.resolve("unknown-entry.keys"), "mpk = 0123456789ABCDEFFEDCBA9876543210\nmtk = 00\n");
        Files.writeString(home.resolve("purchase-only.keys"), "mpk = 0123456789ABCDEFFEDCBA9876543210\n");
        Files.writeString(home.resolve("with-mlk.keys"),
                "mpk = 0123456789ABCDEFFEDCBA9876543210\nmlk = 00112233445566778899AABBCCDDEEFF\n");
        for (String keys : List.of("unknown-entry.keys", "purchase-only.keys", "with-mlk.keys")) {
            Files.setPosixFilePermissions(home.resolve(keys), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("not an amount: 'abc'", "pay", "--amount", "abc"),
                bad("amount must be above zero: -5", "pay", "--amount", "-5"),
                bad("amount must be above zero: 0", "pay", "--amount", "0"),
                bad("amount must be above zero: 0.00", "pay", "--amount", "0.00"),
                bad("amount 1.234 has more than 2 decimal places for CNY", "pay", "--amount", "1.234"),
                bad("amount 1.5 has more than 0 decimal places for JPY", "pay", "--amount", "1.5", "--currency", "JPY"),
                bad("amount 99999999999 is above the card's maximum", "pay", "--amount", "99999999999"),
                bad("unknown currency: 'XYZ'", "pay", "--amount", "1", "--currency", "XYZ"),
                bad("'Daily' has no balance: write LABEL=AMOUNT[@CUR]", "pay", "--amount", "1", "--card", "Daily"),
                bad("'=5' has no label", "pay", "--amount", "1", "--card", "=5"),
                bad("not an amount: '' ", "pay", "--amount", "1", "--card", "A="),
                bad("amount 1.005 has more than 2 decimal places", "pay", "--amount", "1", "--card", "A=1.005"),
                bad("unknown currency: 'XYZ'", "pay", "--amount", "1", "--card", "A=5@XYZ"),
                bad("a card label is 1 to 16 printable ASCII characters", "pay", "--amount", "1",
                        "--card", "A label far too long=5"),
                bad("two cards labelled A", "pay", "--amount", "1", "--card", "A=1", "--card", "A=2"),
                bad("unknown policy 'cheapest'", "pay", "--amount", "1", "--policy", "cheapest"),
                bad("--policy describes the simulated SIM: not with --reader", "pay", "--amount", "1", "--reader", "sim",
                        "--policy", "any", "--test-keys"),
                bad("--card LABEL=AMOUNT[@CUR], --legacy describe the simulated SIM", "pay", "--amount", "1",
                        "--reader", "sim", "--card", "A=1", "--legacy", "--test-keys"),
                bad("no reader named 'no such reader 4711'|PC/SC is not available", "pay", "--amount", "1",
                        "--reader", "no such reader 4711", "--test-keys"),
                bad("not an nfcpay SIM", "pay", "--amount", "1", "--reader", "bank card", "--test-keys"),
                bad("a card on a PC/SC reader needs the terminal's key file (--key-file FILE); --test-keys uses the"
                        + " published test keys instead", "pay", "--amount", "1", "--reader", "sim"),
                bad("a card on a PC/SC reader needs the terminal's key file", "load", "--amount", "1", "--reader", "sim", HOST),
                bad("--test-keys and --key-file: give one of them", "pay", "--amount", "1", "--test-keys",
                        "--key-file", "purchase-only.keys"),
                bad("loads are online: give the issuer host with --host URL", "load", "--amount", "5"),
                bad("--token needs --host URL", "pay", "--amount", "1", "--token", "t"),
                bad("--host: the host URL must start with http:// or https://", "pay", "--amount", "1", "--host", "ftp://x",
                        "--token", "t"),
                bad("not an nfcpay SIM", "cards", "--reader", "bank card"),
                bad("not an nfcpay SIM", "history", "--reader", "bank card"),
                bad("not an nfcpay SIM", "load", "--amount", "5", "--reader", "bank card", "--test-keys", HOST),
                bad("Missing required option: '--amount=AMOUNT'", "pay"),
                bad("Unknown option: '--bogus'", "pay", "--amount", "1", "--bogus"),
                bad("say which command", new String[0]),
                bad("Unmatched argument at index 0: 'frobnicate'", "frobnicate"),
                bad("name one card, not 2: A, B", "history", "--card", "A", "--card", "B"),
                bad("give --card LABEL or --aid AID, not both", "history", "--card", "Daily", "--aid", "F000000824010101"),
                bad("--aid: not an AID: 'XYZ'", "history", "--aid", "XYZ"),
                bad("no one card labelled 'Nobody' on this SIM (cards: Daily Wallet F000000824010101, Salary Card",
                        "history", "--card", "Nobody"),
                bad("no card with AID F000000824010109 on this SIM (cards: Daily Wallet F000000824010101, Salary Card", "load", "--amount", "5", "--aid", "F000000824010109", HOST),
                bad("amount must be above zero: 0", "load", "--amount", "0", HOST),
                bad("the card refused (6985: above its maximum balance", "load", "--amount", "49990", HOST),
                bad("the issuer host refused: unauthorized", "load", "--amount", "5", "--host", HOST_URL, "--token", "nope"),
                bad("--limit must be 1 or more, not 0", "journal", "--limit", "0"),
                bad("'x' is not an int", "journal", "--limit", "x"),
                bad("cannot read key file", "pay", "--amount", "1", "--key-file", "no-such-file.keys"),
                bad("unknown entry 'mtk'", "cards", "--key-file", "unknown-entry.keys"),
                bad("a terminal holds no 'mlk'", "load", "--amount", "5", "--key-file", "with-mlk.keys", HOST),
                bad("sim needs --pcsc: serving the simulated SIM to pcscd is its only mode", "sim"),
                bad("sim needs --pcsc", "sim", "--card", "A=1"),
                bad("'1:2:x' does not name a host", "sim", "--pcsc", "--vpcd", "1:2:x"),
                bad("port out of range in '127.0.0.1:70000'", "sim", "--pcsc", "--vpcd", "127.0.0.1:70000"),
                bad("not a port number in 'vpcd:x'", "sim", "--pcsc", "--vpcd", "vpcd:x"),
                bad("--json: sim prints what happens as it runs", "sim", "--pcsc", "--json"),
                bad("--key-file: the simulated SIM is always issued under the published test keys", "sim", "--pcsc",
                        "--key-file", "purchase-only.keys"),
                bad("two cards labelled A", "sim", "--pcsc", "--card", "A=1", "--card", "A=2"),
                bad("'Lunch' has no balance", "sim", "--pcsc", "--card", "Lunch"),
                bad("unknown policy 'cheapest'", "sim", "--pcsc", "--policy", "cheapest"),
                bad("Unknown options: '--reader'", "sim", "--pcsc", "--reader", "Virtual PCD 00 00"));
    }

    private static Arguments bad(String message, String... args) {
        return Arguments.of(message, args);
    }

    @ParameterizedTest(name = "{1} -> {0}")
    @MethodSource("badInputs")
    void oneLineNamingTheProblemExit1AndNoJournalChange(String message, String[] args) throws TerminalException {
        List<String> before = journal();
        assertThat(before).hasSize(1);
        List<String> full = new ArrayList<>(List.of(args));
        full.replaceAll(a -> a.endsWith(".keys") ? home.resolve(a).toString() : a.equals(HOST_URL) ? host.url() : a);
        int at = full.indexOf(HOST);
        if (at >= 0) {
            full.remove(at);
            full.addAll(List.of("--host", host.url(), "--token", token));
        }
        full.addAll(List.of("--data-dir", data.toString()));

        Cli.Run r = cli.run(full.toArray(String[]::new));

        String line = r.singleError();
        assertThat(line).containsPattern(java.util.regex.Pattern.quote(message).replace("|", "\\E|\\Q"));
        if (full.contains("--json")) { // the error as one JSON object too (issue 16)
            assertThat(r.json().get("status").getAsString()).isEqualTo("error");
        } else {
            assertThat(r.out()).as("nothing on stdout").isEmpty();
        }
        assertThat(journal()).as("the journal").isEqualTo(before);
    }

    /** A card with applications of its own but no PPSE: every SELECT answers 6A82, file not found. */
    static final class NotAPaymentSim implements Transport {
        @Override
        public byte[] transceive(byte[] command) {
            return new byte[] {0x6A, (byte) 0x82};
        }

        @Override
        public void close() {}
    }

    private List<String> journal() throws TerminalException {
        return Cli.journal(data).stream().map(JournalRecord::toString).toList();
    }
}
