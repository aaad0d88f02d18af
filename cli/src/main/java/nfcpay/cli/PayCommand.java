package nfcpay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.sim.SelectionPolicy;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.issuer.IssuerHost;
import nfcpay.terminal.issuer.IssuerHostException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.TapBounds;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
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
            "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends; its"
                + " opening balances are loaded through the issuer host with --host, else by the simulator's in-process"
                + " issuer (test keys).",
            "",
            "With --host: the hot list is fetched first (and kept in the journal), and an approved purchase is uploaded"
                + " right away; an unreachable host does not stop the sale, the upload waits for nfcpay upload."},
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

    @Mixin
    TapOptions tap;

    @Option(names = "--card", paramLabel = CardArg.SPEC_FORM, converter = CardArg.SpecConverter.class,
            description = "Simulated SIM only: a card and its balance, e.g. 'Daily Wallet=15.00' or 'Euro=20@EUR'."
                    + " Repeat it; the first is priority 1 (default: Daily Wallet 15.00, Salary Card 320.00,"
                    + " Travel Card 1500.00).")
    List<CardArg> cards = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "POLICY", converter = Field.PolicyConverter.class,
            description = "Simulated SIM only: how the SIM picks among the cards that can pay: priority (default),"
                    + " best-fit, most-funds or any.")
    SelectionPolicy policy;

    @Mixin
    HostOptions hostOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws TerminalException {
        Money money = amount.money();
        TapBounds bounds = tap.bounds(spec.commandLine().getErr());
        IssuerHost issuer = hostOptions.issuer(root);
        Kernel.Builder kernel = root.keys().kernel(Keys.Use.PURCHASE);
        PurchaseResult result;
        String hotListNote = null;
        String upload = null;
        MerchantReceipt receipt;
        try (Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            Field f = field.open(root, cards, policy, issuer == null ? null : new HostLoadIssuer(issuer, journal.terminalId()),
                    bounds);
            root.requireKeysFor(spec.commandLine(), field.onReader());
            if (issuer != null) {
                hotListNote = HostSync.refreshHotList(issuer, journal);
            }
            try (Transport card = f.tap()) {
                result = kernel.journal(journal).hotList(journal.hotList()).build().purchase(card, money);
            }
            receipt = Receipts.receipt(journal, result);
            if (issuer != null && result.journalId() >= 0 && result.outcome() == PurchaseResult.Outcome.APPROVED) {
                upload = uploadNow(issuer, journal, result.journalId());
            }
        }
        Map<String, Object> json = Receipts.json(result, receipt);
        if (issuer != null) {
            json.put("upload", upload);
            json.put("hot_list", hotListNote);
        }
        String note = hotListNote;
        String uploaded = upload;
        root.print(json, out -> {
            Receipts.print(out, result, receipt);
            if (uploaded != null) {
                out.println("  issuer host    " + uploaded);
            }
            if (note != null) {
                out.println("  (" + note + ")");
            }
        }, result.testKeys());
        if (result.outcome() == PurchaseResult.Outcome.MAC2_FAILED) {
            throw new TerminalException(result.reason());
        }
        return Receipts.exitCode(result);
    }

    /**
     * Clears the purchase right after approval (with anything else not yet acknowledged). An unreachable host does
     * not undo the approval: the purchase waits in the journal for the next upload.
     */
    private static String uploadNow(IssuerHost issuer, Journal journal, long journalId) throws TerminalException {
        try {
            HostSync.upload(issuer, journal);
            return journal.acknowledgement(journalId).orElse("not uploaded");
        } catch (IssuerHostException e) {
            return "upload waits for nfcpay upload: " + e.getMessage();
        }
    }
}
