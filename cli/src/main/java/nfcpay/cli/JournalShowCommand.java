package nfcpay.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nfcpay journal show ID}: the merchant receipt of one journaled sale or load, again. */
@Command(name = "show",
        description = {"Print the merchant receipt of one journal record: terminal ID, date and time, card and masked"
                + " serial, amount, balance after, TAC, terminal serial. The ID is the journal's # (nfcpay journal)."})
final class JournalShowCommand implements Callable<Integer> {

    @ParentCommand
    JournalCommand journal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The journal record, e.g. 4.")
    long id;

    @Override
    public Integer call() throws TerminalException {
        NfcpayCommand root = journal.root;
        Keys keys = root.keys();
        if (id < 1) {
            throw new ParameterException(spec.commandLine(), "a journal record ID is 1 or more, not " + id);
        }
        Optional<JournalRecord> found;
        try (Journal j = NfcpayCommand.openJournal(root.dataDir())) {
            found = j.find(id);
            if (found.isEmpty()) {
                long newest = j.list(1).stream().mapToLong(JournalRecord::id).findFirst().orElse(0);
                throw new ParameterException(spec.commandLine(), "no journal record #" + id + " in " + j.file()
                        + (newest == 0 ? " (it is empty)" : " (its records are #1 to #" + newest + ")"));
            }
        }
        MerchantReceipt receipt = new MerchantReceipt(found.get());
        root.print(receipt.json(), receipt::print, keys.testKeys());
        return Main.OK;
    }
}
