package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.transport.Readers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The till's config file through the real command line: ~/.nfcpay/config (or $NFCPAY_HOME/config) gives the
 * defaults, flags win, a malformed line is one error naming file and line, and key or token files that group or
 * others may read are warned about, and refused with production keys.
 */
class ConfigTest {

    static final String OTHER_MPK = "000102030405060708090A0B0C0D0E0F";
    static final String TEST_MPK = "0123456789ABCDEFFEDCBA9876543210";

    @TempDir
    Path home;

    @TempDir
    Path till;

    Path config;
    SimulatedSim sim;
    Cli cli;

    @BeforeEach
    void aTillWithItsReader() throws IOException {
        Files.createDirectories(home.resolve(".nfcpay"));
        config = home.resolve(".nfcpay").resolve(Config.FILE);
        cli = new Cli(home).reader("Till Reader", name -> {
            if (sim == null) {
                sim = SimulatedSim.defaultWallet();
            }
            return Readers.connect(sim.terminal());
        });
    }

    void config(String text) throws IOException {
        Files.writeString(config, text);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void theConfigGivesReaderDataDirCurrencyAndTerminalIdAndFlagsWin() throws Exception {
        config("# the till by the door\nreader = Till Reader\ndata-dir = " + till + "\ncurrency = CNY\n"
                + "terminal-id = 000000004711\n");

        Cli.Run pay = cli.run("pay", "--amount", "5", "--test-keys", "--json");
        Cli.Run flagged = cli.run("pay", "--amount", "5", "--card", "A=9", "--reader", "Till Reader", "--test-keys");
        Cli.Run eur = cli.run("pay", "--amount", "5", "--currency", "EUR", "--test-keys", "--json");
        Cli.Run elsewhere = cli.run("journal", "--data-dir", home.resolve("other").toString(), "--json");

        assertThat(pay.exit()).as(pay.err()).isZero();
        JsonObject o = pay.json();
        assertThat(o.get("card").getAsString()).isEqualTo("Daily Wallet");
        assertThat(o.get("terminal_id").getAsString()).isEqualTo("000000004711");
        assertThat(sim.balance("Daily Wallet")).as("paid on the config's reader, not a simulated SIM").isEqualTo(1_000);
        assertThat(Cli.journal(till)).hasSize(1);
        assertThat(flagged.singleError()).contains("--card LABEL=AMOUNT[@CUR] describes the simulated SIM");
        assertThat(eur.exit()).isEqualTo(2);
        assertThat(eur.json().get("currency").getAsString()).isEqualTo("EUR");
        assertThat(elsewhere.json().get("terminal_id").getAsString()).as("a new journal gets the config's ID")
                .isEqualTo("000000004711");
        assertThat(cli.run("pay", "--help").out()).as("help shows the config's default").contains("(default: CNY)");
    }

    @Test
    void nfcpayHomeMovesTheConfig() throws Exception {
        Files.writeString(till.resolve(Config.FILE), "reader = Till Reader\n");
        Cli.Run r = cli.variable(Environment.NFCPAY_HOME, till.toString()).run("cards", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(sim).as("the config's reader was used").isNotNull();
    }

    @Test
    void aMalformedConfigIsOneLineNamingFileAndLine() throws IOException {
        for (String[] c : new String[][] {
            {"reader = Till Reader\nrader = ACR122\n", "line 2: unknown key 'rader'"},
            {"# ok\n\nreader\n", "line 3: not 'key = value'"},
            {"currency =\n", "line 1: currency has no value"},
            {"reader = A\nreader = B\n", "line 2: reader given twice"},
            {"terminal-id = 12AB\n", "line 1: terminal-id is 12 digits"}}) {
            config(c[0]);
            Cli.Run r = cli.run("journal", "--data-dir", till.toString());
            assertThat(r.singleError()).as(c[0]).contains("config " + config + " " + c[1]);
            assertThat(r.out()).isEmpty();
        }
        assertThat(till.resolve(NfcpayCommand.JOURNAL_FILE)).as("nothing ran").doesNotExist();
        assertThat(cli.run("--help").exit()).as("help still works").isZero();
    }

    @Test
    void aJournalOfAnotherTerminalIdIsRefused() throws Exception {
        try (Journal j = Journal.open(till.resolve(NfcpayCommand.JOURNAL_FILE))) {
            assertThat(nfcpay.terminal.apdu.Bytes.hex(j.terminalId())).isNotEqualTo("000000004711");
        }
        config("terminal-id = 000000004711\ndata-dir = " + till + "\n");

        assertThat(cli.run("pay", "--amount", "1").singleError()).contains("says terminal-id 000000004711");
    }

    @Test
    void aProductionKeyFileOthersMayReadIsRefusedTestKeysAreWarnedAbout() throws Exception {
        Path production = Files.writeString(home.resolve("prod.keys"), "mpk = " + OTHER_MPK + "\n");
        Path test = Files.writeString(home.resolve("test.keys"), "mpk = " + TEST_MPK + "\n");
        Files.setPosixFilePermissions(production, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(test, PosixFilePermissions.fromString("rw-r-----"));
        String data = till.toString();

        Cli.Run refused = cli.run("pay", "--amount", "1", "--key-file", production.toString(), "--data-dir", data);
        Cli.Run fromConfig;
        config("key-file = " + production + "\n");
        fromConfig = cli.run("journal", "--data-dir", data);
        Cli.Run fromConfigButTestKeys = cli.run("pay", "--amount", "1", "--test-keys", "--data-dir", data);
        Cli.Run benchWithConfigKeys = cli.run("bench", "--smoke", "--out", home.resolve("bench").toString());
        Files.delete(config);
        Cli.Run warned = cli.run("pay", "--amount", "1", "--key-file", test.toString(), "--data-dir", data);
        Files.setPosixFilePermissions(production, PosixFilePermissions.fromString("rw-------"));
        Cli.Run fixed = cli.run("journal", "--key-file", production.toString(), "--data-dir", data);

        assertThat(refused.singleError()).contains("key file " + production + " may be read by group or others (rw-r--r--):"
                + " production keys are refused so; chmod 600 " + production);
        assertThat(fromConfig.singleError()).contains("production keys are refused so");
        assertThat(fromConfigButTestKeys.exit()).as("--test-keys typed wins over the config's key-file: %s",
                fromConfigButTestKeys.err()).isZero();
        assertThat(benchWithConfigKeys.exit()).as("the config's key-file is no --key-file for bench: %s",
                benchWithConfigKeys.err()).isZero();
        assertThat(warned.exit()).isZero();
        assertThat(warned.err()).startsWith("nfcpay: warning: key file " + test + " may be read by group or others"
                + " (rw-r-----), it holds the published test keys");
        assertThat(fixed.exit()).as(fixed.err()).isZero();
        assertThat(fixed.err()).isEmpty();
    }

    @Test
    void aTokenInAConfigOthersMayReadIsWarnedAboutAndRefusedWithProductionKeys() throws Exception {
        Path production = Files.writeString(home.resolve("prod.keys"), "mpk = " + OTHER_MPK + "\n");
        Files.setPosixFilePermissions(production, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(config, "token = secret-token\ndata-dir = " + till + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Run test = cli.run("journal");
        Cli.Run prod = cli.run("journal", "--key-file", production.toString());

        assertThat(test.exit()).isZero();
        assertThat(test.err()).contains("nfcpay: warning: config " + config + " holds the host token and group or others"
                + " may read it (rw-r--r--): chmod 600 " + config).doesNotContain("secret-token");
        assertThat(prod.exit()).isEqualTo(1);
        assertThat(prod.errLines()).last().asString().contains("refused with production keys").doesNotContain("secret-token");
    }
}
