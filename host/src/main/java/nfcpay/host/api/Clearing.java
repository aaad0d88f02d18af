package nfcpay.host.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import nfcpay.host.db.Tx;
import nfcpay.host.keys.KeyService;
import nfcpay.host.ledger.Accounting;
import nfcpay.host.ledger.Accounts;
import nfcpay.host.ledger.Transfer;

/**
 * POST /v1/clearing (PROTOCOL.md 5.2). TACs are verified before the database is touched; the valid
 * records go in one INSERT ... ON CONFLICT DO NOTHING on the purchase identity, and only the rows that
 * insert returns are cleared and posted: a repeat from any upload, terminal retry or host instance finds
 * the first and is a duplicate. Rows are inserted in identity order so that two overlapping batches
 * lock their keys in the same order and cannot deadlock.
 */
final class Clearing {

    static final int MAX_RECORDS = 10_000;
    /** Below this many records, handing the TAC checks to other threads costs more than it saves. */
    private static final int PARALLEL_FROM = 256;

    private static final String INSERT = """
            INSERT INTO purchase (card_serial, terminal_id, terminal_serial, tx_date, tx_time, amount,
                                  aid, currency, offline_counter, balance_before, tac)
            SELECT s, ?, ts, d, t, a, aid, cur, oc, bb, tac
            FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[],
                        ?::int[], ?::bigint[], ?::text[]) AS x(s, ts, d, t, a, aid, cur, oc, bb, tac)
            ON CONFLICT ON CONSTRAINT purchase_identity DO NOTHING
            RETURNING id, card_serial, terminal_serial, tx_date, tx_time, amount""";

    /** One uploaded purchase after validation. */
    record Purchase(String cardSerial, long terminalSerial, String date, String time, long amount, String aid,
                    String currency, int offlineCounter, long balanceBefore, String tac) {
        String identity() {
            return cardSerial + '|' + terminalSerial + '|' + date + '|' + time + '|' + amount;
        }
    }

    record Result(String status, String reason) {}

    private final DataSource ds;
    private final KeyService keys;
    private final Accounting accounting;

    Clearing(DataSource ds, KeyService keys, Accounting accounting) {
        this.ds = ds;
        this.keys = keys;
        this.accounting = accounting;
    }

    List<Result> clear(Principal who, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.malformed("the body must be a JSON object");
        }
        JsonNode tid = body.get("terminal_id");
        if (tid == null || !tid.isTextual() || tid.textValue().length() != 12 || !Fields.isHex(tid.textValue())) {
            throw ApiException.malformed("terminal_id must be 6 bytes of hex");
        }
        String terminalId = tid.textValue().toUpperCase(java.util.Locale.ROOT);
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) {
            throw ApiException.malformed("records must be an array");
        }
        if (records.size() > MAX_RECORDS) {
            throw ApiException.malformed("at most " + MAX_RECORDS + " records per upload, got " + records.size());
        }
        who.requireTerminal(terminalId);

        int n = records.size();
        Result[] results = new Result[n];
        Purchase[] valid = new Purchase[n];
        byte[] terminalIdBytes = Fields.bytes(terminalId);
        Map<String, Integer> firstByIdentity = new HashMap<>();
        Purchase[] parsed = new Purchase[n];
        for (int i = 0; i < n; i++) {
            try {
                parsed[i] = parse(records.get(i));
            } catch (Fields.Malformed e) {
                results[i] = new Result("rejected", "malformed");
            }
        }
        // TAC verification is the CPU of an upload: a large one uses every core. Each check is independent and
        // writes only its own slot.
        boolean[] tacOk = new boolean[n];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, n);
        (n >= PARALLEL_FROM ? range.parallel() : range).forEach(i -> {
            Purchase p = parsed[i];
            tacOk[i] = p != null && keys.verifyPurchaseTac(Fields.bytes(p.cardSerial()), Fields.be(p.amount(), 4),
                    terminalIdBytes, Fields.be(p.terminalSerial(), 4), Fields.bytes(p.date()), Fields.bytes(p.time()),
                    Fields.bytes(p.tac()));
        });
        for (int i = 0; i < n; i++) {
            Purchase p = parsed[i];
            if (p == null) {
                continue;
            }
            if (!tacOk[i]) {
                results[i] = new Result("rejected", "bad_tac");
                continue;
            }
            if (firstByIdentity.putIfAbsent(p.identity(), i) != null) {
                results[i] = new Result("duplicate", null);
                continue;
            }
            valid[i] = p;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (valid[i] != null) {
                order.add(i);
            }
        }
        if (!order.isEmpty()) {
            String[] identity = new String[n];
            for (int i : order) {
                identity[i] = valid[i].identity();
            }
            order.sort(Comparator.comparing(i -> identity[i]));
            Map<String, Long> cleared = Tx.run(ds, c -> insertAndPost(c, terminalId, order, valid));
            for (int i : order) {
                results[i] = cleared.containsKey(valid[i].identity())
                        ? new Result("cleared", null) : new Result("duplicate", null);
            }
        }
        return List.of(results);
    }

    private Map<String, Long> insertAndPost(Connection c, String terminalId, List<Integer> order, Purchase[] valid)
            throws SQLException {
        int m = order.size();
        String[] serial = new String[m];
        Long[] ts = new Long[m];
        String[] date = new String[m];
        String[] time = new String[m];
        Long[] amount = new Long[m];
        String[] aid = new String[m];
        String[] cur = new String[m];
        Integer[] oc = new Integer[m];
        Long[] bb = new Long[m];
        String[] tac = new String[m];
        for (int k = 0; k < m; k++) {
            Purchase p = valid[order.get(k)];
            serial[k] = p.cardSerial();
            ts[k] = p.terminalSerial();
            date[k] = p.date();
            time[k] = p.time();
            amount[k] = p.amount();
            aid[k] = p.aid();
            cur[k] = p.currency();
            oc[k] = p.offlineCounter();
            bb[k] = p.balanceBefore();
            tac[k] = p.tac();
        }
        Map<String, Long> inserted = new HashMap<>();
        List<Transfer> transfers = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setString(1, terminalId);
            Array[] arrays = {
                c.createArrayOf("text", serial), c.createArrayOf("bigint", ts), c.createArrayOf("text", date),
                c.createArrayOf("text", time), c.createArrayOf("bigint", amount), c.createArrayOf("text", aid),
                c.createArrayOf("text", cur), c.createArrayOf("int4", oc), c.createArrayOf("bigint", bb),
                c.createArrayOf("text", tac)};
            for (int k = 0; k < arrays.length; k++) {
                s.setArray(k + 2, arrays[k]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long id = r.getLong(1);
                    String card = r.getString(2);
                    long amt = r.getLong(6);
                    inserted.put(card + '|' + r.getLong(3) + '|' + r.getString(4) + '|' + r.getString(5) + '|' + amt, id);
                    transfers.add(new Transfer("purchase", id, Accounts.cardFloat(card),
                            Accounts.merchantPayable(terminalId), amt));
                }
            }
        }
        accounting.post(c, transfers);
        return inserted;
    }

    static Purchase parse(JsonNode record) throws Fields.Malformed {
        Fields f = new Fields(record);
        return new Purchase(
                f.hex("card_serial", 10),
                f.integer("terminal_serial", 0, Fields.UINT32),
                f.date("date"),
                f.time("time"),
                f.integer("amount", 1, Fields.UINT32),
                f.hex("aid", 5, 16),
                f.currency("currency"),
                (int) f.integer("offline_counter", 0, 0xFFFF),
                f.integer("balance_before", 0, Fields.UINT32),
                f.hex("tac", 4));
    }
}
