package nfcpay.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.CardApplication;
import nfcpay.terminal.kernel.Directory;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.money.Money;
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

    /**
     * The SIM's directory and each card's balance (GET BALANCE), as the terminal reads them.
     *
     * @param balances in directory order; null for a card that would not tell (locked, broken)
     */
    record Wallet(Directory directory, List<Money> balances) {

        static Wallet read(Kernel kernel, Transport card) throws TerminalException {
            Directory directory = kernel.readDirectory(card);
            List<Money> balances = new ArrayList<>();
            for (CardApplication app : directory.applications()) {
                try {
                    balances.add(kernel.getBalance(card, app.aid()));
                } catch (StatusWordException | CardDataException e) {
                    balances.add(null); // the other cards still belong in the list
                }
            }
            return new Wallet(directory, balances);
        }

        void print(PrintWriter out, String indent) {
            Text.Table table = new Text.Table("PRIORITY", "LABEL", "AID", "BALANCE");
            for (int i = 0; i < balances.size(); i++) {
                CardApplication app = directory.applications().get(i);
                table.row(app.priority() == 0 ? "-" : app.priority(), app.label(), app.aid(),
                        balances.get(i) == null ? "unreadable" : Text.money(balances.get(i)));
            }
            table.print(out, indent);
        }

        List<Object> json() {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < balances.size(); i++) {
                list.add(Receipts.cardJson(directory.applications().get(i), balances.get(i)));
            }
            return list;
        }
    }
}
