package nfcpay.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nfcpay.terminal.kernel.CardApplication;
import nfcpay.terminal.kernel.PurchaseResult;
import nfcpay.terminal.kernel.Recovery;
import nfcpay.terminal.money.Money;

/** A purchase's answer as text and as JSON, for pay and demo alike. */
final class Receipts {

    private Receipts() {}

    /** approved, declined or mac2_failed. */
    static String status(PurchaseResult r) {
        return r.outcome().name().toLowerCase(Locale.ROOT);
    }

    static int exitCode(PurchaseResult r) {
        return switch (r.outcome()) {
            case APPROVED -> Main.OK;
            case DECLINED -> Main.DECLINED;
            case MAC2_FAILED -> Main.ERROR;
        };
    }

    /** As {@link #json(PurchaseResult)}, with the receipt's terminal ID, date and time when the sale was journaled. */
    static Map<String, Object> json(PurchaseResult r, MerchantReceipt receipt) {
        Map<String, Object> o = json(r);
        o.put("terminal_id", receipt == null ? null : receipt.record().terminalIdHex());
        o.put("date", receipt == null ? null : receipt.record().date().toString());
        o.put("time", receipt == null ? null : receipt.record().time().toString());
        return o;
    }

    /** The journal's record of this tap's sale, as a receipt; null when nothing was journaled (declined before DEBIT). */
    static MerchantReceipt receipt(nfcpay.terminal.journal.Journal journal, PurchaseResult r)
            throws nfcpay.terminal.journal.JournalException {
        return r.journalId() < 0 ? null : journal.find(r.journalId()).map(MerchantReceipt::new).orElse(null);
    }

    /** status, card, aid, amount, currency, balance_after, tac, reason, and where it was journaled. */
    static Map<String, Object> json(PurchaseResult r) {
        Map<String, Object> o = Json.object();
        CardApplication app = r.application();
        o.put("status", status(r));
        o.put("card", app == null ? null : app.label());
        o.put("aid", app == null ? null : app.aid());
        o.put("amount", r.amount().format());
        o.put("currency", r.amount().currency().getCurrencyCode());
        o.put("balance_after", r.balanceAfter() == null ? null : r.balanceAfter().format());
        o.put("tac", r.tac());
        o.put("reason", r.reason());
        o.put("card_serial", r.maskedSerial());
        o.put("terminal_serial", r.terminalSerial() < 0 ? null : r.terminalSerial());
        o.put("journal_id", r.journalId() < 0 ? null : r.journalId());
        o.put("completes_torn_sale", r.completesTornSale());
        o.put("recoveries", recoveriesJson(r.recoveries()));
        return o;
    }

    /** The answer in a few lines, as the demo and tests print it. */
    static void print(PrintWriter out, PurchaseResult r) {
        print(out, r, null);
    }

    /**
     * The answer in a few lines, as pay prints it: with the journal's record of the sale, the merchant receipt's
     * rows too (card serial masked, terminal ID, date and time sent to the card).
     */
    static void print(PrintWriter out, PurchaseResult r, MerchantReceipt receipt) {
        printRecoveries(out, r.recoveries(), "");
        if (r.completesTornSale()) {
            out.println("this tap completes the torn purchase above: the card had paid it, nothing more was debited");
        }
        switch (r.outcome()) {
            case APPROVED -> out.println("approved: " + Text.money(r.amount()) + " paid by " + r.application().label());
            case DECLINED -> out.println("declined: " + Text.money(r.amount()) + ": " + r.reason());
            case MAC2_FAILED -> out.println("NOT approved: " + Text.money(r.amount()) + ": " + r.reason());
        }
        if (r.application() != null && r.outcome() != PurchaseResult.Outcome.DECLINED) {
            Text.Table table = new Text.Table("card", r.application().label() + " (" + r.application().aid() + ")")
                    .row("balance after", Text.money(r.balanceAfter()))
                    .row("TAC", r.tac())
                    .row("journal", "#" + r.journalId() + ", terminal serial " + r.terminalSerial());
            if (receipt != null) {
                table.row("card serial", receipt.record().maskedCardSerial())
                        .row("terminal", receipt.record().terminalIdHex())
                        .row("date", receipt.record().date() + " " + receipt.record().time());
            }
            table.print(out, "  ");
        }
    }

    /** The answer in one line, as the demo tells it. */
    static String summary(PurchaseResult r) {
        return switch (r.outcome()) {
            case APPROVED -> "approved: " + r.application().label() + " paid " + Text.money(r.amount())
                    + ", balance after " + Text.money(r.balanceAfter()) + ", TAC " + r.tac();
            case DECLINED -> "declined: " + r.reason();
            case MAC2_FAILED -> "NOT approved: " + r.reason();
        };
    }

    /** Torn transactions of this card that the tap settled before doing what it was asked. */
    static void printRecoveries(PrintWriter out, List<Recovery> recoveries, String indent) {
        for (Recovery rec : recoveries) {
            out.println(indent + "settled first: a torn " + rec.kind().name().toLowerCase(Locale.ROOT) + " of "
                    + Text.money(rec.amount()) + " on " + rec.application().label() + " (journal #" + rec.journalId()
                    + "): " + rec.state().name().toLowerCase(Locale.ROOT) + (rec.note() == null ? "" : ", " + rec.note()));
        }
    }

    static List<Object> recoveriesJson(List<Recovery> recoveries) {
        List<Object> list = new ArrayList<>();
        for (Recovery rec : recoveries) {
            Map<String, Object> o = Json.object();
            o.put("journal_id", rec.journalId());
            o.put("kind", rec.kind().name().toLowerCase(Locale.ROOT));
            o.put("card", rec.application().label());
            o.put("aid", rec.application().aid());
            o.put("amount", rec.amount().format());
            o.put("currency", rec.amount().currency().getCurrencyCode());
            o.put("state", rec.state().name().toLowerCase(Locale.ROOT));
            o.put("tac", rec.tac());
            o.put("note", rec.note());
            list.add(o);
        }
        return list;
    }

    /** A balance as JSON: {"label", "aid", "priority", "balance", "currency"}. */
    static Map<String, Object> cardJson(CardApplication app, Money balance) {
        Map<String, Object> o = Json.object();
        o.put("label", app.label());
        o.put("aid", app.aid());
        o.put("priority", app.priority());
        o.put("balance", balance == null ? null : balance.format());
        o.put("currency", balance == null ? null : balance.currency().getCurrencyCode());
        return o;
    }
}
