package nfcpay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHost.ScriptAction;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.CardMaintenance;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nfcpay block} and {@code nfcpay unblock}: the issuer's APPLICATION BLOCK / UNBLOCK script on one card
 * (docs/protocol.md 3.6), MAC'd by the issuer host under the card's maintenance key; the operator's command.
 */
abstract class IssuerScriptCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Mixin
    FieldOptions field;

    @Mixin
    ChosenCardOptions chosen;

    @Mixin
    HostOptions hostOptions;

    @Spec
    CommandSpec spec;

    abstract ScriptAction action();

    /** "blocked", "unblocked". */
    abstract String done();

    @Override
    public Integer call() throws TerminalException {
        chosen.check();
        IssuerHost issuer = hostOptions.issuer(root);
        if (issuer == null) {
            throw new ParameterException(spec.commandLine(), "issuer scripts come from the issuer host: give --host URL"
                    + " and the operator's admin token (--token or $" + HostOptions.TOKEN_VARIABLE + ")");
        }
        Keys keys = root.keys();
        Kernel.Builder kernel = keys.kernel(Keys.Use.NONE);
        Field f = field.open(root, chosen.specs(), null);
        CardMaintenance.Result r;
        try (Transport card = f.tap(); Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            Kernel k = kernel.journal(journal).build();
            String aid = chosen.resolve(k, card);
            try {
                r = CardMaintenance.run(card, aid, issuer, action());
            } catch (StatusWordException e) {
                throw new TerminalException(CardMaintenance.explain(e), e);
            }
        }
        Map<String, Object> json = Json.object();
        json.put("status", done());
        json.put("action", action().wire());
        json.put("card", r.application().label());
        json.put("aid", r.application().aid());
        json.put("card_serial", r.maskedSerial());
        json.put("before", r.before().toString());
        json.put("after", r.after().toString());
        json.put("script_id", r.scriptId());
        root.print(json, out -> out.println(done() + ": " + r.application().label() + " (" + r.application().aid()
                + "), card " + r.maskedSerial() + ", " + r.before() + " -> " + r.after() + ", issuer script #" + r.scriptId()),
                keys.testKeys());
        return Main.OK;
    }

    @Command(name = "block",
            description = {"Block one card application with the issuer's APPLICATION BLOCK script (needs --host).",
                "",
                "Selects the card, asks it for a challenge, has the issuer host MAC the script under the card's own"
                    + " maintenance key (the host audits it), sends it and reports what the card now is. A blocked card"
                    + " pays nothing until the issuer unblocks it; with --permanent, never again. The token is the"
                    + " operator's admin token (nfcpay host token --admin). Over the contact interface only.",
                "",
                "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."})
    static final class Block extends IssuerScriptCommand {

        @Option(names = "--permanent", description = "Block for good: no UNBLOCK will lift it.")
        boolean permanent;

        @Override
        ScriptAction action() {
            return permanent ? ScriptAction.BLOCK_PERMANENT : ScriptAction.BLOCK;
        }

        @Override
        String done() {
            return permanent ? "blocked for good" : "blocked";
        }
    }

    @Command(name = "unblock",
            description = {"Unblock one card application with the issuer's APPLICATION UNBLOCK script (needs --host).",
                "",
                "Lifts a temporary block and the lock that ten wrong MACs put on a purse, with its count. The issuer"
                    + " host refuses a hot-listed card; a permanent block stays. Otherwise as nfcpay block."})
    static final class Unblock extends IssuerScriptCommand {

        @Override
        ScriptAction action() {
            return ScriptAction.UNBLOCK;
        }

        @Override
        String done() {
            return "unblocked";
        }
    }
}
