package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nfcpay bench} at the smoke scale: the command's wiring and outputs, never a figure. */
class BenchCommandTest {

    @TempDir
    Path home;

    @Test
    void printsTheTablesAndWritesTheFiles() {
        Path out = home.resolve("results");
        Cli.Run r = new Cli(home).run("bench", "--smoke", "--seed", "5", "--out", out.toString());

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("smoke run", "| DEFAULT_CARD |", "| SMART_ANY |", "| cards |", "Written to " + out)
                .endsWith("(test keys)\n");
        assertThat(out.resolve("results.json")).exists();
        assertThat(out.resolve("results.csv")).exists();
        assertThat(out.resolve("success_by_strategy.png")).exists();
    }

    @Test
    void jsonGivesTheHeadlineFiguresAsDecimalStrings() throws Exception {
        Path out = home.resolve("json");
        JsonObject o = new Cli(home).run("bench", "--smoke", "--json", "--out", out.toString()).json();

        assertThat(o.get("status").getAsString()).isEqualTo("done");
        assertThat(o.get("scale").getAsString()).isEqualTo("smoke");
        assertThat(o.get("seed").getAsLong()).isEqualTo(20260301L);
        assertThat(o.get("test_keys").getAsBoolean()).isTrue();
        JsonObject strategies = o.getAsJsonObject("strategies");
        assertThat(strategies.keySet()).containsExactly("DEFAULT_CARD", "TERMINAL_RETRY", "SMART_PRIORITY", "SMART_BEST_FIT",
                "SMART_MOST_FUNDS", "SMART_ANY");
        String success = strategies.getAsJsonObject("SMART_PRIORITY").get("first_tap_success").getAsString();
        assertThat(success).matches("[01]\\.\\d{4}");
        assertThat(o.getAsJsonArray("files").toString()).contains("results.json", "cost_by_applications.png");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"strategies\"");
    }

    @Test
    void optionsThatDoNotApplyAreOneLineErrors() {
        Cli cli = new Cli(home);
        assertThat(cli.run("bench", "--quick", "--smoke").singleError()).contains("--quick or --smoke, not both");
        assertThat(cli.run("bench", "--smoke", "--trace").singleError()).contains("--trace does not apply");
        assertThat(cli.run("bench", "--smoke", "--key-file", home.resolve("keys").toString()).singleError())
                .contains("--key-file does not apply");
        assertThat(cli.run("bench", "--seed", "many").singleError()).contains("--seed");
    }

    @Test
    void anOutputThatCannotBeWrittenIsOneLineError() throws Exception {
        Path file = Files.writeString(home.resolve("a-file"), "x");
        assertThat(new Cli(home).run("bench", "--smoke", "--out", file.toString()).singleError())
                .contains("cannot write the results");
    }

    @Test
    void privacyPrintsWhatAHostileReaderLearnsUnderEveryPolicy() {
        Cli.Run r = new Cli(home).run("bench", "privacy");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wallet \"demo\"", "Wallet \"mixed\"", "| MOST_FUNDS | GPO_SEARCH |",
                "| LEGACY | GPO_SEARCH |", "hidden").doesNotContain("WRONG");
    }
}
