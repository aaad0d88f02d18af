package nfcpay.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nfcpay.sim.wallet.HolderSession;
import nfcpay.sim.wallet.WalletCard;
import nfcpay.sim.wallet.WalletSettings;
import nfcpay.terminal.money.Money;

/**
 * The holder's view of the SIM: every card application in priority order, deactivated ones
 * included, with balances only while the holder PIN is verified; the policy and the PIN's state.
 */
record WalletListing(List<WalletCard> cards, WalletSettings settings) {

    static WalletListing read(HolderSession session) {
        return new WalletListing(session.list(), session.settings());
    }

    /** "3 cards on the SIM; policy: priority; holder PIN: verified, 3 tries left", then the table. */
    void print(PrintWriter out, String indent) {
        int n = cards.size();
        out.println(n + " card" + (n == 1 ? "" : "s") + " on the SIM; policy: " + Field.policyName(settings.policy())
                + "; holder PIN: " + pinState());
        boolean balances = settings.pinVerified();
        Text.Table table = balances
                ? new Text.Table("PRIORITY", "LABEL", "AID", "ACTIVE", "STATUS", "BALANCE")
                : new Text.Table("PRIORITY", "LABEL", "AID", "ACTIVE", "STATUS");
        for (WalletCard c : cards) {
            List<Object> row = new ArrayList<>(List.of(c.priority(), c.label(), c.aidHex(), activity(c),
                    status(c)));
            if (balances) {
                Money m = balance(c);
                row.add(m == null ? "unreadable" : Text.money(m));
            }
            table.row(row.toArray());
        }
        table.print(out, indent);
        if (!balances) {
            out.println("(balances in this list need the holder PIN: --balances; any reader in the field reads them"
                    + " without it, as 'nfcpay cards' does)");
        }
    }

    private String pinState() {
        if (settings.pinBlocked()) {
            return "blocked";
        }
        String tries = settings.pinTriesLeft() + (settings.pinTriesLeft() == 1 ? " try" : " tries") + " left";
        String state = settings.transportPin() ? "transport PIN, change it first; " : "";
        return state + (settings.pinVerified() ? "verified, " : "") + tries;
    }

    /** {"policy", "pin": {...}, "cards": [...]}, to add to a command's object. */
    void putJson(Map<String, Object> o) {
        o.put("policy", Field.policyName(settings.policy()));
        Map<String, Object> pin = Json.object();
        pin.put("verified", settings.pinVerified());
        pin.put("tries_left", settings.pinTriesLeft());
        pin.put("blocked", settings.pinBlocked());
        pin.put("transport", settings.transportPin());
        o.put("pin", pin);
        List<Object> list = new ArrayList<>();
        for (WalletCard c : cards) {
            Map<String, Object> card = Json.object();
            card.put("label", c.label());
            card.put("aid", c.aidHex());
            card.put("priority", c.priority());
            card.put("active", c.active());
            card.put("new", c.isNew());
            card.put("status", status(c));
            card.put("currency", c.currency().map(cur -> cur.getCurrencyCode()).orElse(null));
            if (settings.pinVerified()) {
                Money m = balance(c);
                card.put("balance", m == null ? null : m.format());
            }
            list.add(card);
        }
        o.put("cards", list);
    }

    /**
     * "yes", "no" (the holder deactivated it) or "new": registered and never activated by the holder, so out of the
     * PPSE until 'nfcpay wallet activate' (docs/protocol.md 2.4); whoever installed it, the holder has not approved it.
     */
    static String activity(WalletCard c) {
        return c.active() ? "yes" : c.isNew() ? "new" : "no";
    }

    /** The account status: active, locked, expired or unknown (no authentic record). */
    static String status(WalletCard c) {
        return c.account().name().toLowerCase(Locale.ROOT);
    }

    /** The balance, or null when the card gave none (no authentic record, or not verified). */
    private static Money balance(WalletCard c) {
        if (c.balanceMinor().isEmpty() || c.currency().isEmpty()) {
            return null;
        }
        return Money.of(c.balanceMinor().getAsLong(), c.currency().get());
    }
}
