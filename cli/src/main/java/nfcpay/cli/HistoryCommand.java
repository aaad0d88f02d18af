package nfcpay.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.CardLog;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.LogRecord;
import nfcpay.terminal.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code nfcpay history}: one card's own transaction log. */
@Command(name = "history",
        description = {"Show one card's own transaction log, newest first.",
            "",
            "Loads and purchases as the card keeps them, with the counter, the terminal and the date of each.",
            "",
            "Without --reader, on a simulated SIM built from the --card options, forgotten when the command ends:"
                + " its log holds only the loads that gave the cards their balances."})
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Mixin
    FieldOptions field;

    @Mixin
    ChosenCardOptions chosen;

    @Override
    public Integer call() throws TerminalException {
        chosen.check();
        Keys keys = root.keys();
        Kernel.Builder kernel = keys.kernel(Keys.Use.NONE);
        Field f = field.open(root, chosen.specs(), null);
        CardLog log;
        try (Transport card = f.tap(); Journal journal = NfcpayCommand.openJournal(root.dataDir())) {
            Kernel k = kernel.journal(journal).build();
            log = k.readLog(card, chosen.resolve(k, card));
        }
        Map<String, Object> json = Json.object();
        json.put("card", log.application().label());
        json.put("aid", log.application().aid());
        json.put("card_serial", log.maskedSerial());
        List<Object> records = new ArrayList<>();
        for (LogRecord r : log.records()) {
            Map<String, Object> o = Json.object();
            o.put("number", r.number());
            o.put("type", type(r));
            o.put("amount", r.amount().format());
            o.put("currency", r.amount().currency().getCurrencyCode());
            o.put("counter", r.counter());
            o.put("terminal_id", r.terminalId());
            o.put("date", r.date().toString());
            o.put("time", r.time().toString());
            records.add(o);
        }
        json.put("records", records);
        root.print(json, out -> {
            out.println(log.application().label() + " (" + log.application().aid() + "), card " + log.maskedSerial() + ": "
                    + (log.records().isEmpty() ? "no transactions" : log.records().size() + " transaction" + (log.records().size() == 1 ? "" : "s")
                            + ", newest first"));
            if (!log.records().isEmpty()) {
                Text.Table table = new Text.Table("#", "TYPE", "AMOUNT", "COUNTER", "TERMINAL", "DATE", "TIME");
                for (LogRecord r : log.records()) {
                    table.row(r.number(), type(r), Text.money(r.amount()), r.counter(), r.terminalId(), r.date(), r.time());
                }
                table.print(out, "  ");
            }
        }, keys.testKeys());
        return Main.OK;
    }

    /** purchase, load, or the type byte of a kind this terminal does not make. */
    private static String type(LogRecord r) {
        return r.kind() == null ? String.format("type %02X", r.type()) : r.kind().name().toLowerCase(Locale.ROOT);
    }
}
