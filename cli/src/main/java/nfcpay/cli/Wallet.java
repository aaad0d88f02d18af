package nfcpay.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.StatusWordException;
import nfcpay.terminal.kernel.CardApplication;
import nfcpay.terminal.kernel.Directory;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Transport;

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
