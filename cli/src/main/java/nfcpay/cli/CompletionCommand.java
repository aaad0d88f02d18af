package nfcpay.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nfcpay completion}: the bash (and zsh) completion script, generated from the command definitions. */
@Command(name = "completion",
        description = {"Print the bash completion script for nfcpay, generated from its command definitions (picocli's"
                + " AutoComplete); zsh reads it too after 'autoload -U +X bashcompinit && bashcompinit'.",
            "",
            "  source <(nfcpay completion)                                   # this shell",
            "  nfcpay completion > /etc/bash_completion.d/nfcpay            # every shell"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("nfcpay", spec.root().commandLine()));
        out.flush();
        return Main.OK;
    }
}
