package nfcpay.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nfcpay man [COMMAND...]}: a man page (troff) generated from the command definitions. */
@Command(name = "man",
        description = {"Print the man page of nfcpay, or of one command, in troff, generated from the same command"
                + " definitions as --help.",
            "",
            "  nfcpay man pay | man -l -                                      # read it",
            "  nfcpay man > /usr/local/share/man/man1/nfcpay.1                # install it"})
final class ManCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. pay, or wallet remove.")
    String[] command = new String[0];

    @Override
    public Integer call() {
        CommandLine target = spec.root().commandLine();
        for (String name : command) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new ParameterException(spec.commandLine(), "no command '" + String.join(" ", command)
                        + "' (commands: " + String.join(", ", target.getSubcommands().keySet()) + ")");
            }
            target = sub;
        }
        var out = spec.commandLine().getOut();
        out.print(ManPage.of(target, spec.root().version()));
        out.flush();
        return Main.OK;
    }
}
