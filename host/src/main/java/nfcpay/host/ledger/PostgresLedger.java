package nfcpay.host.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Accounting} in the host's PostgreSQL. A posting row is a two-legged transfer (TigerBeetle's
 * shape), so a batch of clearings is one INSERT of as many rows; the lines are the view {@code ledger_line}.
 */
public final class PostgresLedger implements Accounting {

    // One statement per batch, whatever the batch size: a posting row carries both of its lines.
    private static final String POST = """
            INSERT INTO posting (kind, reference, state, from_account, to_account, amount, resolved_at)
            SELECT k, r, 'posted', f, t, a, now()
            FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[]) AS x(k, r, f, t, a)""";

    @Override
    public void post(Connection c, List<Transfer> transfers) throws SQLException {
        if (transfers.isEmpty()) {
            return;
        }
        int n = transfers.size();
        String[] kinds = new String[n];
        Long[] refs = new Long[n];
        String[] from = new String[n];
        String[] to = new String[n];
        Long[] amounts = new Long[n];
        for (int i = 0; i < n; i++) {
            Transfer t = transfers.get(i);
            kinds[i] = t.kind();
            refs[i] = t.reference();
            from[i] = t.from();
            to[i] = t.to();
            amounts[i] = t.amount();
        }
        try (PreparedStatement s = c.prepareStatement(POST)) {
            Array a1 = c.createArrayOf("text", kinds);
            Array a2 = c.createArrayOf("bigint", refs);
            Array a3 = c.createArrayOf("text", from);
            Array a4 = c.createArrayOf("text", to);
            Array a5 = c.createArrayOf("bigint", amounts);
            s.setArray(1, a1);
            s.setArray(2, a2);
            s.setArray(3, a3);
            s.setArray(4, a4);
            s.setArray(5, a5);
            s.executeUpdate();
        }
    }

    @Override
    public long pend(Connection c, Transfer t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO posting (kind, reference, state, from_account, to_account, amount)
                VALUES (?, ?, 'pending', ?, ?, ?) RETURNING id""")) {
            s.setString(1, t.kind());
            s.setLong(2, t.reference());
            s.setString(3, t.from());
            s.setString(4, t.to());
            s.setLong(5, t.amount());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Override
    public void postPending(Connection c, long postingId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE posting SET state = 'posted', resolved_at = now() WHERE id = ? AND state = 'pending'")) {
            s.setLong(1, postingId);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("posting " + postingId + " is not pending");
            }
        }
    }

    @Override
    public void voidPending(Connection c, long postingId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE posting SET state = 'voided', resolved_at = now() WHERE id = ? AND state = 'pending'")) {
            s.setLong(1, postingId);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("posting " + postingId + " is not pending");
            }
        }
    }

    @Override
    public long balance(Connection c, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT coalesce(sum(CASE WHEN to_account = ? THEN amount ELSE -amount END), 0) FROM posting
                WHERE state = 'posted' AND (from_account = ? OR to_account = ?)""")) {
            s.setString(1, account);
            s.setString(2, account);
            s.setString(3, account);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Override
    public Map<String, Long> balances(Connection c, String prefix) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT account, sum(amount) FROM ledger_line WHERE account LIKE ? GROUP BY account")) {
            s.setString(1, prefix.replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return out;
    }

    @Override
    public long total(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(amount), 0) FROM ledger_line");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public List<Long> unbalancedPostings(Connection c) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT posting_id FROM ledger_line GROUP BY posting_id
                HAVING sum(amount) <> 0 OR count(*) <> 2
                LIMIT 100""");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getLong(1));
            }
        }
        return out;
    }
}
