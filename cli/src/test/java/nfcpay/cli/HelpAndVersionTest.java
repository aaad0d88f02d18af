package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpAndVersionTest {

    static final String[] COMMANDS = {"demo", "pay", "cards", "history", "load", "journal", "bench", "sim"};

    @TempDir
    Path home;

    @Test
    void helpListsEveryCommandTheGlobalOptionsAndTheExitCodes() {
        Cli.Run r = new Cli(home).run("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: nfcpay ").contains(COMMANDS)
                .contains("--json", "--trace", "--data-dir=DIR", "--key-file=FILE", "--version")
                .contains("Exit codes:");
        assertThat(flat(r.out())).contains("0 approved, or done", "2 declined", "3 outcome unknown", "1 an error");
        assertThat(flat(r.out())).as("says the simulated SIM does not keep its state")
                .contains("forgotten when the command ends");
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "pay", "cards", "history", "load", "journal", "bench", "sim"})
    void everyCommandHasHelpWithTheGlobalOptions(String command) {
        Cli.Run r = new Cli(home).run(command, "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: nfcpay " + command + " ")
                .contains("--json", "--trace", "--data-dir=DIR", "--key-file=FILE");
        if (!command.equals("journal") && !command.equals("demo") && !command.equals("bench") && !command.equals("sim")) {
            assertThat(flat(r.out())).contains("--reader=NAME", "--card=", "forgotten when the command ends");
        }
    }

    @Test
    void versionComesFromTheBuild() {
        Cli.Run top = new Cli(home).run("--version");
        Cli.Run sub = new Cli(home).run("pay", "--version");

        assertThat(top.exit()).isZero();
        assertThat(top.out()).matches("nfcpay \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        assertThat(sub.out()).isEqualTo(top.out());
    }

    /** The help text with its line wrapping undone. */
    static String flat(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
