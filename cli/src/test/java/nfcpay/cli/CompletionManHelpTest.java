package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * nfcpay help COMMAND, nfcpay completion and nfcpay man, generated from the command definitions, and each
 * command's exit-code block listing only what that command can return.
 */
class CompletionManHelpTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"pay", "journal", "wallet", "bench", "sim"})
    void helpCommandIsTheCommandsHelp(String command) {
        List<String> help = new ArrayList<>(List.of("help"));
        help.addAll(List.of(command.split(" ")));
        List<String> dashHelp = new ArrayList<>(List.of(command.split(" ")));
        dashHelp.add("--help");

        Cli.Run viaHelp = new Cli(home).run(help.toArray(String[]::new));
        Cli.Run viaOption = new Cli(home).run(dashHelp.toArray(String[]::new));

        assertThat(viaHelp.exit()).isZero();
        assertThat(viaHelp.out()).startsWith("Usage: nfcpay " + command + " ").isEqualTo(viaOption.out());
    }

    @Test
    void completionIsABashScriptThatKnowsTheCommandsAndOptions() throws Exception {
        Cli.Run r = new Cli(home).run("completion");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("complete -F _complete_nfcpay", "pay", "--amount", "journal", "totals", "--force");
        Path script = Files.writeString(home.resolve("nfcpay.bash"), r.out());
        Process bash = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(bash.getInputStream().readAllBytes())).as("bash -n").isEmpty();
        assertThat(bash.exitValue()).isZero();
    }

    @Test
    void manPageIsTroffFromTheDefinitionsAndManRendersIt() throws Exception {
        Cli.Run top = new Cli(home).run("man");
        Cli.Run pay = new Cli(home).run("man", "pay");
        Cli.Run nested = new Cli(home).run("man", "wallet", "remove");
        Cli.Run unknown = new Cli(home).run("man", "payy");

        assertThat(top.exit()).isZero();
        assertThat(top.out()).startsWith(".TH \"NFCPAY\" 1").contains(".SH COMMANDS", "\\fBpay\\fR", ".SH EXIT STATUS");
        assertThat(pay.out()).startsWith(".TH \"NFCPAY-PAY\" 1").contains(".SH SYNOPSIS", "\\fB\\-\\-amount\\fR \\fIAMOUNT\\fR",
                "\\fB3\\fR");
        assertThat(nested.out()).contains("\\fB\\-\\-force\\fR");
        assertThat(unknown.singleError()).contains("no command 'payy'");
        Path page = Files.writeString(home.resolve("nfcpay-pay.1"), pay.out());
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "man is not installed");
        Process man = new ProcessBuilder("man", "-l", page.toString()).redirectErrorStream(true).start();
        man.getOutputStream().close();
        assertThat(man.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String rendered = new String(man.getInputStream().readAllBytes()).replaceAll(".\b", "").replaceAll("\\s+", " ");
        assertThat(rendered).contains("NAME", "nfcpay-pay - Pay an amount", "--amount AMOUNT", "EXIT STATUS", "3 outcome unknown");
    }

    /** Only pay declines (2) or leaves the outcome unknown (3); no other command's help may promise them. */
    @Test
    void eachExitCodeBlockListsOnlyWhatItsCommandCanReturn() {
        CommandLine root = Main.commandLine(new Environment(java.util.Map.of(), home, name -> {
            throw new nfcpay.terminal.transport.TransportException("no readers here");
        }));
        List<CommandLine> all = new ArrayList<>();
        collect(root, all);
        for (CommandLine cl : all) {
            String name = cl.getCommandSpec().qualifiedName();
            var codes = cl.getCommandSpec().usageMessage().exitCodeList().keySet().stream().map(String::strip).toList();
            if (name.equals("nfcpay help")) {
                continue;
            }
            assertThat(codes).as(name).contains("0", "1");
            if (name.equals("nfcpay pay") || name.equals("nfcpay")) {
                assertThat(codes).as(name).contains("2", "3");
            } else {
                assertThat(codes).as(name).doesNotContain("2", "3");
            }
        }
        assertThat(new Cli(home).run("cards", "--help").out()).contains("Exit codes:").doesNotContain("declined");
    }

    private static void collect(CommandLine cl, List<CommandLine> all) {
        all.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, all));
    }
}
