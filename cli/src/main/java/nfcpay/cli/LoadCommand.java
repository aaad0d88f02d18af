package nfcpay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.LoadResult;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code nfcpay load}: a top-up through INITIALIZE FOR LOAD / CREDIT FOR LOAD. */
@Command(name = "load",
        description = {"Top up a card through the real load protocol.",
            "",
            "The terminal stands in for the issuer: its load key checks the card's MAC1 and authorizes the credit with"
                + " MAC2. With --key-file, the file needs mlk, and mpk too (a load first settles the card's torn"
                + " purchases).",
            "",
            "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."})
final class LoadCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Mixin
    AmountOptions amount;

    @Mixin
    FieldOptions field;

    @Mixin
    ChosenCardOptions chosen;

    @Override
    public Integer call() throws TerminalException {
        Money money = amount.money();
        chosen.check();
        Kernel.Builder kernel = root.keys().kernel(Keys.Use.LOAD);
        Field f = field.open(root, chosen.specs(), null);
        LoadResult r;
        try (Transport card = f.tap(); Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            Kernel k = kernel.journal(journal).build();
            r = k.load(card, chosen.resolve(k, card), money);
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
        root.print(json, out -> {
            Receipts.printRecoveries(out, r.recoveries(), "");
            out.println("loaded: " + Text.money(r.amount()) + " onto " + r.application().label());
            new Text.Table("card", r.application().label() + " (" + r.application().aid() + ")")
                    .row("balance before", Text.money(r.balanceBefore()))
                    .row("balance after", Text.money(r.balanceAfter()))
                    .row("TAC", r.tac())
                    .row("journal", "#" + r.journalId() + ", terminal serial " + r.terminalSerial())
                    .print(out, "  ");
        }, r.testKeys());
        return Main.OK;
    }
}
