package nfcpay.host.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import nfcpay.host.db.Tx;
import nfcpay.host.keys.KeyService;
import nfcpay.host.keys.KeyService.LoadSession;
import nfcpay.host.ledger.Accounting;
import nfcpay.host.ledger.Accounts;
import nfcpay.host.ledger.Transfer;

/**
 * POST /v1/loads and POST /v1/loads/{id}/confirm (PROTOCOL.md 5.3): a two-phase transfer from the
 * terminal's load agent account to the card float. Pending when MAC2 leaves; posted by the load TAC or
 * by the card's online counter at its next authorization, voided when that counter shows the card never
 * credited. The card's pending row is locked for the whole decision, and the database's partial unique
 * index keeps a second pending row out even when two host instances race.
 */
final class Loads {

    record Request(String terminalId, String cardSerial, String aid, long amount, String currency, long oldBalance,
                   int onlineCounter, String random, String mac1, String date, String time) {}

    private record Pending(long id, int counter, String random, String terminalId, long amount, String date,
                           String time, long postingId) {}

    private final DataSource ds;
    private final KeyService keys;
    private final Accounting accounting;

    Loads(DataSource ds, KeyService keys, Accounting accounting) {
        this.ds = ds;
        this.keys = keys;
        this.accounting = accounting;
    }

    Map<String, Object> authorize(Principal who, JsonNode body) {
        Request r;
        try {
            r = parse(body);
        } catch (Fields.Malformed e) {
            throw ApiException.malformed(e.getMessage());
        }
        who.requireTerminal(r.terminalId());
        LoadSession session = new LoadSession(Fields.bytes(r.cardSerial()), Fields.bytes(r.random()),
                Fields.be(r.onlineCounter(), 2));
        byte[] amount = Fields.be(r.amount(), 4);
        byte[] terminal = Fields.bytes(r.terminalId());
        byte[] oldBalance = Fields.be(r.oldBalance(), 4);
        byte[] mac1 = Fields.bytes(r.mac1());
        // One transaction for the whole decision (hot list, MAC1, the card's pending load): fewer round trips,
        // and the hot list is read in the same snapshot as the card's loads.
        long loadId = Tx.run(ds, c -> {
            if (HotList.isListed(c, r.cardSerial())) {
                throw new ApiException(403, "hotlisted", "card " + Masks.serial(r.cardSerial()) + " is on the hot list");
            }
            if (!keys.verifyLoadMac1(session, oldBalance, amount, terminal, mac1)) {
                throw new ApiException(422, "bad_mac1", "MAC1 does not verify for card " + Masks.serial(r.cardSerial()));
            }
            return authorizeIn(c, r);
        });
        byte[] mac2 = keys.generateLoadMac2(session, amount, terminal, Fields.bytes(r.date()), Fields.bytes(r.time()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("load_id", Long.toString(loadId));
        out.put("mac2", HexFormat.of().withUpperCase().formatHex(mac2));
        return out;
    }

    private long authorizeIn(Connection c, Request r) throws SQLException {
        Latest latest = latestForUpdate(c, r.cardSerial());
        Pending p = latest == null || !latest.pending() ? null : latest.load();
        if (p != null) {
            if (p.counter() == r.onlineCounter() && p.random().equals(r.random()) && p.terminalId().equals(r.terminalId())
                    && p.amount() == r.amount() && p.date().equals(r.date()) && p.time().equals(r.time())) {
                return p.id(); // The same authorization sent again (a retry after a lost answer): same load, same MAC2.
            }
            if (r.onlineCounter() == p.counter()) {
                accounting.voidPending(c, p.postingId());
                resolve(c, p.id(), "voided", "counter");
            } else if (r.onlineCounter() == p.counter() + 1) {
                accounting.postPending(c, p.postingId());
                resolve(c, p.id(), "posted", "counter");
            } else {
                throw new ApiException(409, "counter_mismatch", "the card reports online counter " + r.onlineCounter()
                        + " but its pending load was authorized at " + p.counter());
            }
        } else if (latest != null && r.onlineCounter() <= latest.load().counter()) {
            throw new ApiException(409, "counter_mismatch", "the card reports online counter "
                    + r.onlineCounter() + " but a load at " + latest.load().counter() + " is already posted");
        }
        long id;
        try (PreparedStatement s = c.prepareStatement("SELECT nextval('card_load_id_seq')");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        long posting = accounting.pend(c, new Transfer("load", id, Accounts.loadAgent(r.terminalId()),
                Accounts.cardFloat(r.cardSerial()), r.amount()));
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO card_load (id, card_serial, terminal_id, aid, amount, currency, old_balance, online_counter,
                                       random, tx_date, tx_time, state, posting_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)""")) {
            s.setLong(1, id);
            s.setString(2, r.cardSerial());
            s.setString(3, r.terminalId());
            s.setString(4, r.aid());
            s.setLong(5, r.amount());
            s.setString(6, r.currency());
            s.setLong(7, r.oldBalance());
            s.setInt(8, r.onlineCounter());
            s.setString(9, r.random());
            s.setString(10, r.date());
            s.setString(11, r.time());
            s.setLong(12, posting);
            s.executeUpdate();
        }
        return id;
    }

    Map<String, Object> confirm(Principal who, String loadIdText, JsonNode body) {
        long loadId = loadId(loadIdText);
        String tac;
        try {
            tac = new Fields(body).hex("tac", 4);
        } catch (Fields.Malformed e) {
            throw ApiException.malformed(e.getMessage());
        }
        return Tx.run(ds, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT card_serial, terminal_id, amount, old_balance, online_counter, tx_date, tx_time, state, posting_id
                    FROM card_load WHERE id = ? FOR UPDATE""")) {
                s.setLong(1, loadId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw ApiException.notFound("no load " + loadId);
                    }
                    String terminalId = r.getString(2);
                    who.requireTerminal(terminalId);
                    String card = r.getString(1);
                    long amount = r.getLong(3);
                    long newBalance = r.getLong(4) + amount;
                    boolean ok = keys.verifyLoadTac(Fields.bytes(card), Fields.be(newBalance, 4),
                            Fields.be(r.getInt(5), 2), Fields.be(amount, 4), Fields.bytes(terminalId),
                            Fields.bytes(r.getString(6)), Fields.bytes(r.getString(7)), Fields.bytes(tac));
                    if (!ok) {
                        throw new ApiException(422, "bad_tac", "the load TAC does not verify");
                    }
                    String state = r.getString(8);
                    if ("voided".equals(state)) {
                        throw new ApiException(409, "voided", "load " + loadId
                                + " was voided: the card's online counter showed it was never credited");
                    }
                    if ("pending".equals(state)) {
                        accounting.postPending(c, r.getLong(9));
                        resolve(c, loadId, "posted", "tac");
                    }
                    return Map.<String, Object>of("status", "posted");
                }
            }
        });
    }

    Map<String, Object> status(Principal who, String loadIdText) {
        long loadId = loadId(loadIdText);
        return Tx.run(ds, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT terminal_id, card_serial, amount, online_counter, state FROM card_load WHERE id = ?")) {
                s.setLong(1, loadId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw ApiException.notFound("no load " + loadId);
                    }
                    who.requireTerminal(r.getString(1));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("load_id", Long.toString(loadId));
                    out.put("card_serial", r.getString(2));
                    out.put("amount", r.getLong(3));
                    out.put("online_counter", r.getInt(4));
                    out.put("status", r.getString(5));
                    return out;
                }
            }
        });
    }

    private static long loadId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through to not found: an id we never issued
        }
        throw ApiException.notFound("no load " + text);
    }

    /** The card's pending load, or else its posted load with the highest counter. */
    private record Latest(Pending load, boolean pending) {}

    /**
     * One statement for what the old two asked: the card's pending load (locked: the decision below is taken
     * once, even with two host instances), else its last posted one (locked too, which serializes two
     * authorizations of one card that race with nothing pending).
     */
    private static Latest latestForUpdate(Connection c, String card) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT id, online_counter, random, terminal_id, amount, tx_date, tx_time, posting_id, state
                FROM card_load WHERE card_serial = ? AND state IN ('pending', 'posted')
                ORDER BY state = 'pending' DESC, online_counter DESC LIMIT 1 FOR UPDATE""")) {
            s.setString(1, card);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new Latest(new Pending(r.getLong(1), r.getInt(2), r.getString(3), r.getString(4), r.getLong(5),
                        r.getString(6), r.getString(7), r.getLong(8)), "pending".equals(r.getString(9)));
            }
        }
    }

    private static void resolve(Connection c, long id, String state, String by) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE card_load SET state = ?, settled_by = ?, resolved_at = now() WHERE id = ?")) {
            s.setString(1, state);
            s.setString(2, by);
            s.setLong(3, id);
            s.executeUpdate();
        }
    }

    static Request parse(JsonNode body) throws Fields.Malformed {
        Fields f = new Fields(body);
        Request r = new Request(
                f.hex("terminal_id", 6),
                f.hex("card_serial", 10),
                f.hex("aid", 5, 16),
                f.integer("amount", 1, Fields.UINT32),
                f.currency("currency"),
                f.integer("old_balance", 0, Fields.UINT32),
                (int) f.integer("online_counter", 0, 0xFFFF),
                f.hex("random", 4),
                f.hex("mac1", 4),
                f.date("date"),
                f.time("time"));
        f.integer("key_version", 0, 0xFF);
        if (f.integer("algorithm_id", 0, 0xFF) != 0) {
            throw new Fields.Malformed("algorithm_id must be 0 (DES/3DES, the only algorithm of PROTOCOL.md 3.2)");
        }
        if (r.oldBalance() + r.amount() > Fields.UINT32) {
            throw new Fields.Malformed("old_balance + amount does not fit the card's 4-byte balance");
        }
        return r;
    }
}
