package nfcpay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nfcpay cards}: the PPSE directory of the card in the field, with each card's balance. */
@Command(name = "cards",
        description = {"List the cards of the SIM in the field (its PPSE directory) and their balances.",
            "",
            "Priority, label, AID and balance of each card, and whether the SIM chooses the card itself (smart"
                + " selection).",
            "",
            "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."})
final class CardsCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Mixin
    FieldOptions field;

    @Option(names = "--card", paramLabel = CardArg.SPEC_FORM, converter = CardArg.SpecConverter.class,
            description = "Simulated SIM only: a card and its balance, as for pay; repeat it (default: the demo wallet).")
    List<CardArg> cards = new ArrayList<>();

    @Override
    public Integer call() throws TerminalException {
        Keys keys = root.keys();
        Kernel.Builder kernel = keys.kernel(Keys.Use.NONE);
        Field f = field.open(root, cards, null);
        Wallet wallet;
        try (Transport card = f.tap(); Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            wallet = Wallet.read(kernel.journal(journal).build(), card);
        }
        Map<String, Object> json = Json.object();
        json.put("smart_selection", wallet.directory().smartSelection());
        json.put("cards", wallet.json());
        root.print(json, out -> {
            int n = wallet.directory().applications().size();
            out.println(n + " card" + (n == 1 ? "" : "s") + " on the SIM; smart selection: "
                    + (wallet.directory().smartSelection() ? "yes" : "no"));
            wallet.print(out, "  ");
        }, keys.testKeys());
        return Main.OK;
    }
}
