package nfcpay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nfcpay.sim.SelectionPolicy;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nfcpay pay}: one tap, one answer. */
@Command(name = "pay",
        description = {"Pay an amount with a card of the SIM in the field: one tap, one answer.",
            "",
            "The SIM picks the card that can pay (smart selection); on a legacy SIM the terminal tries the cards in"
                + " priority order. The answer names the card, the amount, the balance after and the TAC.",
            "",
            "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:approved", "2:declined: no card on the SIM can pay",
            "3:outcome unknown: the card may have paid; tap the same phone again to settle the sale", "1:an error"})
final class PayCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Mixin
    AmountOptions amount;

    @Mixin
    FieldOptions field;

    @Option(names = "--card", paramLabel = CardArg.SPEC_FORM, converter = CardArg.SpecConverter.class,
            description = "Simulated SIM only: a card and its balance, e.g. 'Daily Wallet=15.00' or 'Euro=20@EUR'."
                    + " Repeat it; the first is priority 1 (default: Daily Wallet 15.00, Salary Card 320.00,"
                    + " Travel Card 1500.00).")
    List<CardArg> cards = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "POLICY", converter = Field.PolicyConverter.class,
            description = "Simulated SIM only: how the SIM picks among the cards that can pay: priority (default),"
                    + " best-fit, most-funds or any.")
    SelectionPolicy policy;

    @Override
    public Integer call() throws TerminalException {
        Money money = amount.money();
        Kernel.Builder kernel = root.keys().kernel(Keys.Use.PURCHASE);
        Field f = field.open(root, cards, policy);
        PurchaseResult result;
        try (Transport card = f.tap(); Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            result = kernel.journal(journal).build().purchase(card, money);
        }
        root.print(Receipts.json(result), out -> Receipts.print(out, result), result.testKeys());
        if (result.outcome() == PurchaseResult.Outcome.MAC2_FAILED) {
            throw new TerminalException(result.reason());
        }
        return Receipts.exitCode(result);
    }
}
