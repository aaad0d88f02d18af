package nfcpay.cli;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nfcpay journal totals}: the end-of-day batch total, per currency. */
@Command(name = "totals",
        description = {"The day's batch totals of this terminal, per currency: sales (completed or recovered purchases)"
                + " and their sum, loads and their sum, and what is not money yet: pending (settled on the next tap of"
                + " that card), void, mac2_failed. A day is the date the terminal sent to the card."})
final class JournalTotalsCommand implements Callable<Integer> {

    @ParentCommand
    JournalCommand journal;

    @Spec
    CommandSpec spec;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The day (default: today, on this machine's clock).")
    String date;

    /** One currency's figures, in minor units. */
    static final class Total {
        final Currency currency;
        int sales;
        long salesMinor;
        int loads;
        long loadsMinor;
        int pending;
        long pendingMinor;
        int voided;
        int mac2Failed;

        Total(Currency currency) {
            this.currency = currency;
        }

        void add(JournalRecord r) {
            long minor = r.amount().minor();
            switch (r.state()) {
                case COMPLETED, RECOVERED -> {
                    if (r.kind() == TransactionKind.PURCHASE) {
                        sales++;
                        salesMinor += minor;
                    } else {
                        loads++;
                        loadsMinor += minor;
                    }
                }
                case PENDING -> {
                    pending++;
                    pendingMinor += minor;
                }
                case VOID -> voided++;
                case MAC2_FAILED -> mac2Failed++;
            }
        }

        /** A total as a decimal string; a day's sum can pass one card's 4-byte range, so it is not a Money. */
        String format(long minor) {
            return java.math.BigDecimal.valueOf(minor, currency.getDefaultFractionDigits()).toPlainString();
        }
    }

    @Override
    public Integer call() throws TerminalException {
        NfcpayCommand root = journal.root;
        Keys keys = root.keys();
        LocalDate day = day();
        Map<String, Total> totals = new TreeMap<>();
        String terminalId;
        String file;
        try (Journal j = NfcpayCommand.openJournal(root.dataDir())) {
            terminalId = nfcpay.terminal.apdu.Bytes.hex(j.terminalId());
            file = j.file().toString();
            for (JournalRecord r : j.list(Integer.MAX_VALUE)) {
                if (r.date().equals(day)) {
                    totals.computeIfAbsent(r.amount().currency().getCurrencyCode(), c -> new Total(r.amount().currency()))
                            .add(r);
                }
            }
        }
        List<Total> rows = new ArrayList<>(totals.values());
        rows.sort(Comparator.comparing(t -> t.currency.getCurrencyCode()));
        Map<String, Object> json = Json.object();
        json.put("date", day.toString());
        json.put("terminal_id", terminalId);
        json.put("journal", file);
        List<Object> list = new ArrayList<>();
        for (Total t : rows) {
            Map<String, Object> o = Json.object();
            o.put("currency", t.currency.getCurrencyCode());
            o.put("sales", t.sales);
            o.put("sales_total", t.format(t.salesMinor));
            o.put("loads", t.loads);
            o.put("loads_total", t.format(t.loadsMinor));
            o.put("pending", t.pending);
            o.put("pending_total", t.format(t.pendingMinor));
            o.put("void", t.voided);
            o.put("mac2_failed", t.mac2Failed);
            list.add(o);
        }
        json.put("currencies", list);
        root.print(json, out -> {
            out.println("Totals for " + day + ", terminal " + terminalId + ": "
                    + (rows.isEmpty() ? "nothing journaled that day" : rows.size() + " currenc" + (rows.size() == 1 ? "y" : "ies")));
            if (!rows.isEmpty()) {
                Text.Table table = new Text.Table("CURRENCY", "SALES", "SALES TOTAL", "LOADS", "LOADS TOTAL", "PENDING",
                        "PENDING TOTAL", "VOID", "MAC2_FAILED");
                for (Total t : rows) {
                    String c = t.currency.getCurrencyCode() + " ";
                    table.row(t.currency.getCurrencyCode(), t.sales, c + t.format(t.salesMinor), t.loads,
                            c + t.format(t.loadsMinor), t.pending, c + t.format(t.pendingMinor), t.voided, t.mac2Failed);
                }
                table.print(out, "  ");
            }
        }, keys.testKeys());
        return Main.OK;
    }

    private LocalDate day() {
        if (date == null) {
            return LocalDate.now(Clock.systemDefaultZone());
        }
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--date: not a date: '" + date + "' (write YYYY-MM-DD)");
        }
    }
}
