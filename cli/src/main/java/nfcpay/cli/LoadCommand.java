package nfcpay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.LoadResult;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.TapBounds;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.issuer.IssuerHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code nfcpay load}: a top-up through INITIALIZE FOR LOAD / CREDIT FOR LOAD. */
@Command(name = "load",
        description = {"Top up a card online through the real load protocol (needs --host).",
            "",
            "The terminal relays the card's INITIALIZE FOR LOAD answer to the issuer host, which alone holds the load"
                + " key: it checks MAC1 and answers MAC2; the terminal sends CREDIT FOR LOAD and confirms the card's TAC"
                + " to the host. A load retried after a torn one asks the card and the host first and never credits"
                + " twice. With --key-file, the file needs mpk (a load first settles the card's torn purchases).",
            "",
            "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends; its"
                + " opening balances are loaded through the same host."})
final class LoadCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Mixin
    AmountOptions amount;

    @Mixin
    FieldOptions field;

    @Mixin
    TapOptions tap;

    @Mixin
    ChosenCardOptions chosen;

    @Mixin
    HostOptions hostOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws TerminalException {
        Money money = amount.money();
        TapBounds bounds = tap.bounds(spec.commandLine().getErr());
        chosen.check();
        IssuerHost issuer = hostOptions.issuer(root);
        if (issuer == null) {
            throw new ParameterException(spec.commandLine(), "loads are online: give the issuer host with --host URL"
                    + " (and --token or $" + HostOptions.TOKEN_VARIABLE + "); the terminal holds no load key");
        }
        Kernel.Builder kernel = root.keys().kernel(Keys.Use.LOAD).issuerHost(issuer);
        LoadResult r;
        try (Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            Field f = field.open(root, chosen.specs(), null, new HostLoadIssuer(issuer, journal.terminalId()), bounds);
            root.requireKeysFor(spec.commandLine(), field.onReader());
            try (Transport card = f.tap()) {
                Kernel k = kernel.journal(journal).build();
                r = k.load(card, chosen.resolve(k, card), money);
            }
        }
        Map<String, Object> json = Json.object();
        json.put("status", "loaded");
        json.put("card", r.application().label());
        json.put("aid", r.application().aid());
        json.put("amount", r.amount().format());
        json.put("currency", r.amount().currency().getCurrencyCode());
        json.put("balance_before", r.balanceBefore().format());
        json.put("balance_after", r.balanceAfter().format());
        json.put("tac", r.tac());
        json.put("card_serial", r.maskedSerial());
        json.put("terminal_serial", r.terminalSerial());
        json.put("journal_id", r.journalId());
        json.put("recoveries", Receipts.recoveriesJson(r.recoveries()));
        json.put("completes_torn_load", r.completesTornLoad());
        json.put("host", r.hostConfirmation());
        root.print(json, out -> {
            Receipts.printRecoveries(out, r.recoveries(), "");
            if (r.completesTornLoad()) {
                out.println("this tap completes the torn load above: the card had credited it, nothing more was loaded");
            }
            out.println("loaded: " + Text.money(r.amount()) + " onto " + r.application().label());
            new Text.Table("card", r.application().label() + " (" + r.application().aid() + ")")
                    .row("balance before", Text.money(r.balanceBefore()))
                    .row("balance after", Text.money(r.balanceAfter()))
                    .row("TAC", r.tac())
                    .row("journal", "#" + r.journalId() + ", terminal serial " + r.terminalSerial())
                    .row("issuer host", r.hostConfirmation())
                    .print(out, "  ");
        }, r.testKeys());
        return Main.OK;
    }
}
