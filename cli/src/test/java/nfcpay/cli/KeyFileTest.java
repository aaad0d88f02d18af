package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --key-file: the test keys say so wherever they come from; other keys do not, and the simulated SIM refuses them. */
class KeyFileTest {

    static final String TEST_MPK = "0123456789ABCDEFFEDCBA9876543210";
    static final String OTHER = "000102030405060708090A0B0C0D0E0F";

    @TempDir
    Path home;

    @TempDir
    Path data;

    Path keys(String mpk) throws IOException {
        Path f = home.resolve("terminal.keys");
        Files.writeString(f, "# terminal keys\nmpk = " + mpk + "\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void aKeyFileHoldingTheTestKeysIsStillReportedAsTestKeys() throws IOException {
        Path f = keys(TEST_MPK);

        Cli.Run json = new Cli(home).run("pay", "--amount", "1", "--key-file", f.toString(), "--json",
                "--data-dir", data.toString());
        Cli.Run text = new Cli(home).run("cards", "--key-file", f.toString(), "--data-dir", data.toString());

        assertThat(json.exit()).isZero();
        assertThat(json.json().get("test_keys").getAsBoolean()).isTrue();
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).endsWith("(test keys)\n");
    }

    @Test
    void productionKeysSayNothingAndTheTestSimRefusesThem() throws IOException, TerminalException {
        Path f = keys(OTHER);

        Cli.Run journal = new Cli(home).run("journal", "--key-file", f.toString(), "--data-dir", data.toString());
        Cli.Run journalJson = new Cli(home).run("journal", "--key-file", f.toString(), "--data-dir", data.toString(),
                "--json");
        Cli.Run pay = new Cli(home).run("pay", "--amount", "1", "--key-file", f.toString(), "--data-dir", data.toString());

        assertThat(journal.out()).doesNotContain("test keys");
        assertThat(journalJson.json().get("test_keys").getAsBoolean()).isFalse();
        assertThat(pay.singleError()).contains("the card rejected MAC1 (9302)").doesNotContain(OTHER);
        assertThat(Cli.journal(data)).extracting(r -> r.state()).containsExactly(TransactionState.VOID);
    }
}
