package nfcpay.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nfcpay journal}: what this terminal sent to cards, pending and settled. */
@Command(name = "journal", subcommands = {JournalShowCommand.class, JournalTotalsCommand.class},
        description = {"Show the terminal's journal: what it sent to cards, pending and settled.",
            "",
            "Every purchase and load this terminal (--data-dir) sent to a card, with its state: pending (sent, outcome not known yet: settled on the next tap of that card), completed,"
                + " recovered, void or mac2_failed. Card serials are masked.",
            "",
            "journal show ID prints one record's merchant receipt; journal totals the day's batch totals per currency."})
final class JournalCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--pending", description = "Only the records still pending, oldest first.")
    boolean pending;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N records, newest first (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws TerminalException {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 or more, not " + limit);
        }
        Keys keys = root.keys();
        Path dir = root.dataDir();
        List<JournalRecord> records;
        String terminalId;
        Path file;
        try (Journal journal = NfcpayCommand.openJournal(dir)) {
            records = pending ? journal.pending().stream().limit(limit).toList() : journal.list(limit);
            terminalId = Bytes.hex(journal.terminalId());
            file = journal.file();
        }
        Map<String, Object> json = Json.object();
        json.put("journal", file.toString());
        json.put("terminal_id", terminalId);
        List<Object> list = new ArrayList<>();
        for (JournalRecord r : records) {
            list.add(json(r));
        }
        json.put("records", list);
        root.print(json, out -> {
            String what = pending ? "pending record" : "record";
            out.println("Journal " + file + ", terminal " + terminalId + ": "
                    + (records.isEmpty() ? "no " + what + "s"
                            : records.size() + " " + what + (records.size() == 1 ? "" : "s")
                                    + (pending ? ", oldest first" : ", newest first")));
            if (!records.isEmpty()) {
                Text.Table table = new Text.Table("#", "STATE", "KIND", "AMOUNT", "CARD", "CARD SERIAL", "COUNTER",
                        "T.SERIAL", "DATE", "TIME", "TAC", "NOTE");
                for (JournalRecord r : records) {
                    table.row(r.id(), lower(r.state()), lower(r.kind()), Text.money(r.amount()), r.label(),
                            r.maskedCardSerial(), r.counter(), r.terminalSerial(), r.date(), r.time(), r.tacHex(), r.note());
                }
                table.print(out, "  ");
            }
        }, keys.testKeys());
        return Main.OK;
    }

    private static Map<String, Object> json(JournalRecord r) {
        Map<String, Object> o = Json.object();
        o.put("id", r.id());
        o.put("state", lower(r.state()));
        o.put("kind", lower(r.kind()));
        o.put("amount", r.amount().format());
        o.put("currency", r.amount().currency().getCurrencyCode());
        o.put("card", r.label());
        o.put("aid", r.aid());
        o.put("card_serial", r.maskedCardSerial());
        o.put("counter", r.counter());
        o.put("terminal_serial", r.terminalSerial());
        o.put("date", r.date().toString());
        o.put("time", r.time().toString());
        o.put("tac", r.tacHex());
        o.put("note", r.note());
        return o;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
