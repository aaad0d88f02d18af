package nfcpay.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;

/**
 * The merchant's copy of one journaled sale or load: what a till prints and keeps. Everything on it comes from the
 * journal record, so {@code nfcpay journal show ID} prints the same receipt later as pay printed at the tap: terminal
 * ID, the date and time sent to the card, the card (label, AID, masked serial), the amount, the balance after, the
 * TAC and the terminal's transaction serial. Never a full card serial, MAC2 or key.
 */
record MerchantReceipt(JournalRecord record) {

    /** The balance the card has after this transaction, or null when the card did not (or not yet) do it. */
    Money balanceAfter() {
        if (record.state() != TransactionState.COMPLETED && record.state() != TransactionState.RECOVERED) {
            return null;
        }
        long before = record.balanceBeforeMinor();
        long after = record.kind() == TransactionKind.PURCHASE ? before - record.amount().minor()
                : before + record.amount().minor();
        return after < 0 || after > Money.MAX_MINOR ? null : Money.of(after, record.amount().currency());
    }

    /** What the state means for the merchant, in a few words. */
    String standing() {
        return switch (record.state()) {
            case COMPLETED -> record.kind() == TransactionKind.PURCHASE ? "approved" : "loaded";
            case RECOVERED -> (record.kind() == TransactionKind.PURCHASE ? "approved" : "loaded")
                    + " (settled on a later tap)";
            case PENDING -> "PENDING: outcome not known yet, settled on the next tap of this card";
            case VOID -> "VOID: the card did not do it, nothing was paid";
            case MAC2_FAILED -> "NOT approved: the card's MAC2 did not verify (kept for the issuer)";
        };
    }

    /** The rows of the receipt, indented, after a heading line. */
    void print(PrintWriter out) {
        out.println("receipt: " + lower(record.kind()) + " #" + record.id() + ", " + standing());
        rows().print(out, "  ");
    }

    /** The rows only, to follow pay's answer. */
    Text.Table rows() {
        return new Text.Table("terminal", record.terminalIdHex())
                .row("date", record.date() + " " + record.time())
                .row("card", record.label() + " (" + record.aid() + ")")
                .row("card serial", record.maskedCardSerial())
                .row("amount", Text.money(record.amount()))
                .row("balance after", balanceAfter() == null ? null : Text.money(balanceAfter()))
                .row("TAC", record.tacHex())
                .row("transaction", "journal #" + record.id() + ", terminal serial " + record.terminalSerial());
    }

    Map<String, Object> json() {
        Map<String, Object> o = Json.object();
        o.put("id", record.id());
        o.put("kind", lower(record.kind()));
        o.put("state", lower(record.state()));
        o.put("terminal_id", record.terminalIdHex());
        o.put("date", record.date().toString());
        o.put("time", record.time().toString());
        o.put("card", record.label());
        o.put("aid", record.aid());
        o.put("card_serial", record.maskedCardSerial());
        o.put("amount", record.amount().format());
        o.put("currency", record.amount().currency().getCurrencyCode());
        o.put("balance_after", balanceAfter() == null ? null : balanceAfter().format());
        o.put("tac", record.tacHex());
        o.put("terminal_serial", record.terminalSerial());
        o.put("note", record.note());
        return o;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
