package nfcpay.host.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import nfcpay.host.db.Tx;

/** The hot list (PROTOCOL.md 5.4); its version grows by one with every change, in the same transaction. */
final class HotList {

    private final DataSource ds;

    HotList(DataSource ds) {
        this.ds = ds;
    }

    Map<String, Object> get() {
        return Tx.run(ds, c -> {
            List<String> cards = new ArrayList<>();
            long version;
            // The version row is read in the same snapshot as the list: REPEATABLE READ for this one read.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement s = c.prepareStatement("SELECT version FROM hotlist_version WHERE id = 1");
                 ResultSet r = s.executeQuery()) {
                r.next();
                version = r.getLong(1);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT card_serial FROM hotlist ORDER BY card_serial");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    cards.add(r.getString(1));
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("version", version);
            out.put("cards", cards);
            return out;
        });
    }

    Map<String, Object> put(String rawSerial, boolean listed) {
        String serial;
        try {
            serial = Fields.cardSerial(rawSerial);
        } catch (Fields.Malformed e) {
            throw ApiException.malformed(e.getMessage());
        }
        return Tx.run(ds, c -> {
            String sql = listed
                    ? "INSERT INTO hotlist (card_serial) VALUES (?) ON CONFLICT DO NOTHING"
                    : "DELETE FROM hotlist WHERE card_serial = ?";
            int changed;
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, serial);
                changed = s.executeUpdate();
            }
            long version;
            try (PreparedStatement s = c.prepareStatement(changed > 0
                    ? "UPDATE hotlist_version SET version = version + 1 WHERE id = 1 RETURNING version"
                    : "SELECT version FROM hotlist_version WHERE id = 1");
                 ResultSet r = s.executeQuery()) {
                r.next();
                version = r.getLong(1);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("version", version);
            out.put("card_serial", serial);
            out.put("listed", listed);
            return out;
        });
    }

    boolean isListed(String serial) {
        return Tx.run(ds, c -> isListed(c, serial));
    }

    static boolean isListed(Connection c, String serial) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM hotlist WHERE card_serial = ?")) {
            s.setString(1, serial);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }
}
