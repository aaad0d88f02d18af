package nfcpay.terminal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.money.Bcd;
import nfcpay.terminal.money.Money;
import org.sqlite.SQLiteConfig;

/**
 * The terminal's durable memory: its terminal ID, the next transaction serial, and every
 * transaction it sent to a card. SQLite in WAL mode with {@code synchronous=FULL}: a method that
 * returns has committed, and a commit survives the process being killed and the machine losing
 * power. Write-ahead: the kernel records a transaction PENDING before it sends DEBIT (or CREDIT),
 * so nothing a card did is unknown to the terminal after a crash; PENDING records stay until their
 * card is tapped again (PROTOCOL.md 4.4).
 */
public final class Journal implements AutoCloseable {

    private static final int SCHEMA_VERSION = 1;
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path file;
    private final Connection db;
    private final Clock clock;
    private final byte[] terminalId;

    private Journal(Path file, Connection db, Clock clock, byte[] terminalId) {
        this.file = file;
        this.db = db;
        this.clock = clock;
        this.terminalId = terminalId;
    }

    /** Opens (or creates, with a fresh random terminal ID) the journal in {@code file}. */
    public static Journal open(Path file) throws JournalException {
        return open(file, randomTerminalId(), Clock.systemUTC());
    }

    /**
     * Opens (or creates) the journal in {@code file}.
     *
     * @param terminalIdIfNew the 6-byte terminal ID to use if the journal is created now; an existing
     *     journal keeps its own
     * @param clock the clock of the created/updated timestamps
     */
    public static Journal open(Path file, byte[] terminalIdIfNew, Clock clock) throws JournalException {
        if (terminalIdIfNew == null || terminalIdIfNew.length != 6) {
            throw new IllegalArgumentException("a terminal ID is 6 bytes");
        }
        Connection db = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            Connection c = db;
            inTransaction(db, () -> {
                createSchema(c, terminalIdIfNew, clock);
                return null;
            });
            byte[] id;
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT terminal_id FROM terminal")) {
                rs.next();
                id = Bytes.fromHex(rs.getString(1));
            }
            return new Journal(file, db, clock, id);
        } catch (IOException e) {
            closeQuietly(db);
            throw new JournalException("cannot open the journal " + file + ": " + nfcpay.terminal.IoErrors.describe(e, file), e);
        } catch (SQLException e) {
            closeQuietly(db);
            throw new JournalException("cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createSchema(Connection db, byte[] terminalIdIfNew, Clock clock) throws SQLException {
        try (Statement s = db.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("journal schema " + version + " is newer than this terminal (" + SCHEMA_VERSION + ")");
            }
            s.executeUpdate("CREATE TABLE IF NOT EXISTS terminal ("
                    + " id INTEGER PRIMARY KEY CHECK (id = 1),"
                    + " terminal_id TEXT NOT NULL,"
                    + " next_serial INTEGER NOT NULL,"
                    + " created_at TEXT NOT NULL)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS transactions ("
                    + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " kind TEXT NOT NULL CHECK (kind IN ('PURCHASE', 'LOAD')),"
                    + " state TEXT NOT NULL CHECK (state IN ('PENDING', 'COMPLETED', 'RECOVERED', 'VOID', 'MAC2_FAILED')),"
                    + " terminal_id TEXT NOT NULL,"
                    + " terminal_serial INTEGER NOT NULL,"
                    + " aid TEXT NOT NULL,"
                    + " label TEXT,"
                    + " card_serial TEXT NOT NULL,"
                    + " counter INTEGER NOT NULL,"
                    + " amount INTEGER NOT NULL,"
                    + " currency TEXT NOT NULL,"
                    + " balance_before INTEGER NOT NULL,"
                    + " card_random TEXT NOT NULL,"
                    + " tx_date TEXT NOT NULL,"
                    + " tx_time TEXT NOT NULL,"
                    + " mac2 TEXT,"
                    + " tac TEXT,"
                    + " note TEXT,"
                    + " created_at TEXT NOT NULL,"
                    + " updated_at TEXT NOT NULL)");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS transactions_by_state ON transactions (state, aid)");
            // What the issuer host answered for an uploaded purchase (cleared, duplicate, rejected:reason):
            // a row here means "do not upload again". Its own table, so older journals gain it unchanged.
            s.executeUpdate("CREATE TABLE IF NOT EXISTS host_ack ("
                    + " transaction_id INTEGER PRIMARY KEY REFERENCES transactions (id),"
                    + " status TEXT NOT NULL,"
                    + " acked_at TEXT NOT NULL)");
            // The issuer host's name for an online load (POST /v1/loads), written with the PENDING record before
            // CREDIT FOR LOAD; confirmed_at once the host has posted it on the card's TAC.
            s.executeUpdate("CREATE TABLE IF NOT EXISTS host_load ("
                    + " transaction_id INTEGER PRIMARY KEY REFERENCES transactions (id),"
                    + " load_id TEXT NOT NULL,"
                    + " confirmed TEXT,"
                    + " confirmed_at TEXT)");
            // The last hot list fetched from the issuer host, so that a terminal that cannot reach the host still
            // refuses the cards it knew were listed.
            s.executeUpdate("CREATE TABLE IF NOT EXISTS hotlist ("
                    + " id INTEGER PRIMARY KEY CHECK (id = 1),"
                    + " version INTEGER NOT NULL,"
                    + " cards TEXT NOT NULL,"
                    + " fetched_at TEXT NOT NULL)");
            s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
        }
        try (PreparedStatement p = db.prepareStatement(
                "INSERT OR IGNORE INTO terminal (id, terminal_id, next_serial, created_at) VALUES (1, ?, 1, ?)")) {
            p.setString(1, Bytes.hex(terminalIdIfNew));
            p.setString(2, Instant.now(clock).toString());
            p.executeUpdate();
        }
    }

    /** 12 random decimal digits in BCD, the usual shape of a PBOC terminal ID. */
    private static byte[] randomTerminalId() {
        return Bcd.encode(new SecureRandom().nextLong(1, 1_000_000_000_000L), 6);
    }

    public Path file() {
        return file;
    }

    /** This terminal's 6-byte ID (stored at creation, never changes). */
    public byte[] terminalId() {
        return terminalId.clone();
    }

    /**
     * Hands out the next terminal transaction serial (4 bytes, starting at 1) and commits the
     * increment first: a serial is never used twice, even across a crash.
     */
    public synchronized long nextTerminalSerial() throws JournalException {
        try {
            return inTransaction(db, () -> {
                long serial;
                try (Statement s = db.createStatement();
                        ResultSet rs = s.executeQuery("SELECT next_serial FROM terminal WHERE id = 1")) {
                    rs.next();
                    serial = rs.getLong(1);
                }
                try (PreparedStatement p = db.prepareStatement("UPDATE terminal SET next_serial = ? WHERE id = 1")) {
                    p.setLong(1, serial >= 0xFFFFFFFFL ? 1 : serial + 1);
                    p.executeUpdate();
                }
                return serial;
            });
        } catch (SQLException e) {
            throw failed("hand out a transaction serial", e);
        }
    }

    /** Records a transaction PENDING and commits it; returns its id. Call before sending DEBIT or CREDIT. */
    public synchronized long recordPending(PendingTransaction t) throws JournalException {
        return recordPending(t, null);
    }

    /**
     * Records an online load PENDING together with the issuer host's load ID, in one commit: a torn load is
     * always found with the name the host knows it by.
     */
    public synchronized long recordPending(PendingTransaction t, String hostLoadId) throws JournalException {
        String now = Instant.now(clock).toString();
        try (PreparedStatement p = db.prepareStatement("INSERT INTO transactions (kind, state, terminal_id, terminal_serial,"
                + " aid, label, card_serial, counter, amount, currency, balance_before, card_random, tx_date, tx_time, mac2,"
                + " created_at, updated_at) VALUES (?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            p.setString(i++, t.kind().name());
            p.setString(i++, Bytes.hex(terminalId));
            p.setLong(i++, t.terminalSerial());
            p.setString(i++, t.aid());
            p.setString(i++, t.label());
            p.setString(i++, Bytes.hex(t.cardSerial()));
            p.setInt(i++, t.counter());
            p.setLong(i++, t.amount().minor());
            p.setString(i++, t.amount().currency().getCurrencyCode());
            p.setLong(i++, t.balanceBeforeMinor());
            p.setString(i++, Bytes.hex(t.cardRandom()));
            p.setString(i++, DATE.format(t.date()));
            p.setString(i++, TIME.format(t.time()));
            p.setString(i++, t.mac2() == null ? null : Bytes.hex(t.mac2()));
            p.setString(i++, now);
            p.setString(i, now);
            return inTransaction(db, () -> {
                p.executeUpdate();
                long id;
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                if (hostLoadId != null) {
                    try (PreparedStatement h = db.prepareStatement(
                            "INSERT INTO host_load (transaction_id, load_id) VALUES (?, ?)")) {
                        h.setLong(1, id);
                        h.setString(2, hostLoadId);
                        h.executeUpdate();
                    }
                }
                return id;
            });
        } catch (SQLException e) {
            throw failed("record the pending transaction", e);
        }
    }

    /**
     * Moves a PENDING record to its final state and commits. A record leaves PENDING once: asking
     * again is an error, so no outcome is ever overwritten.
     *
     * @param tac the card's TAC, or null
     * @param mac2 the MAC2 to keep, or null to keep the stored one
     */
    public synchronized void resolve(long id, TransactionState state, byte[] tac, byte[] mac2, String note) throws JournalException {
        if (!state.isFinal()) {
            throw new IllegalArgumentException("resolve to a final state, not " + state);
        }
        try (PreparedStatement p = db.prepareStatement("UPDATE transactions SET state = ?, tac = ?, mac2 = COALESCE(?, mac2),"
                + " note = ?, updated_at = ? WHERE id = ? AND state = 'PENDING'")) {
            p.setString(1, state.name());
            p.setString(2, tac == null ? null : Bytes.hex(tac));
            p.setString(3, mac2 == null ? null : Bytes.hex(mac2));
            p.setString(4, note);
            p.setString(5, Instant.now(clock).toString());
            p.setLong(6, id);
            // one statement: autocommit makes it one transaction, synced before executeUpdate returns
            if (p.executeUpdate() != 1) {
                throw new JournalException("journal record #" + id + " is not pending");
            }
        } catch (SQLException e) {
            throw failed("resolve record #" + id, e);
        }
    }

    /** The AIDs that have PENDING records, whatever the card. */
    public synchronized Set<String> pendingAids() throws JournalException {
        Set<String> aids = new LinkedHashSet<>();
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT aid FROM transactions WHERE state = 'PENDING' ORDER BY aid")) {
            while (rs.next()) {
                aids.add(rs.getString(1));
            }
            return aids;
        } catch (SQLException e) {
            throw failed("read the pending transactions", e);
        }
    }

    /** The PENDING records of one application of one card (same AID, same serial), oldest first. */
    public synchronized List<JournalRecord> pending(String aid, byte[] cardSerial) throws JournalException {
        return query("WHERE state = 'PENDING' AND aid = ? AND card_serial = ? ORDER BY id", aid, Bytes.hex(cardSerial));
    }

    /** Every PENDING record, oldest first. */
    public synchronized List<JournalRecord> pending() throws JournalException {
        return query("WHERE state = 'PENDING' ORDER BY id");
    }

    /** The newest {@code limit} records, newest first. */
    public synchronized List<JournalRecord> list(int limit) throws JournalException {
        return query("ORDER BY id DESC LIMIT ?", limit);
    }

    /** Completed or recovered purchases the issuer host has not acknowledged yet, oldest first. */
    public synchronized List<JournalRecord> unacknowledgedPurchases(int limit) throws JournalException {
        return query("WHERE kind = 'PURCHASE' AND state IN ('COMPLETED', 'RECOVERED') AND tac IS NOT NULL"
                + " AND id NOT IN (SELECT transaction_id FROM host_ack) ORDER BY id LIMIT ?", limit);
    }

    /** Remembers the host's answer for one uploaded purchase, so that it is not uploaded again. */
    public synchronized void acknowledge(long id, String status) throws JournalException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT OR REPLACE INTO host_ack (transaction_id, status, acked_at) VALUES (?, ?, ?)")) {
            p.setLong(1, id);
            p.setString(2, status);
            p.setString(3, Instant.now().toString());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("record the host's acknowledgement", e);
        }
    }

    /** The host's answer for an uploaded purchase ("cleared", "duplicate", "rejected:..."), empty before one. */
    public synchronized Optional<String> acknowledgement(long id) throws JournalException {
        return oneString("SELECT status FROM host_ack WHERE transaction_id = ?", id, "read the host's acknowledgement");
    }

    /** The issuer host's load ID of an online load record, if it has one. */
    public synchronized Optional<String> hostLoadId(long id) throws JournalException {
        return oneString("SELECT load_id FROM host_load WHERE transaction_id = ?", id, "read the host's load ID");
    }

    /** Loads the card credited, with their TAC, that the issuer host has not confirmed yet, oldest first. */
    public synchronized List<JournalRecord> unconfirmedLoads(int limit) throws JournalException {
        return query("WHERE kind = 'LOAD' AND state IN ('COMPLETED', 'RECOVERED') AND tac IS NOT NULL"
                + " AND id IN (SELECT transaction_id FROM host_load WHERE confirmed IS NULL) ORDER BY id LIMIT ?", limit);
    }

    /** Remembers the host's answer to a load's confirmation ("posted", "rejected:bad_tac"...). */
    public synchronized void confirmLoad(long id, String status) throws JournalException {
        try (PreparedStatement p = db.prepareStatement(
                "UPDATE host_load SET confirmed = ?, confirmed_at = ? WHERE transaction_id = ?")) {
            p.setString(1, status);
            p.setString(2, Instant.now().toString());
            p.setLong(3, id);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("record the host's confirmation", e);
        }
    }

    /** The host's answer to a load's confirmation, empty while it has none. */
    public synchronized Optional<String> loadConfirmation(long id) throws JournalException {
        return oneString("SELECT confirmed FROM host_load WHERE transaction_id = ?", id, "read the host's confirmation");
    }

    /** The one string column {@code sql} selects for transaction {@code id}, empty when there is no row or it is NULL. */
    private Optional<String> oneString(String sql, long id, String what) throws JournalException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** Keeps the hot list last fetched from the host (its version and card serials, upper-case hex). */
    public synchronized void saveHotList(long version, List<String> cards) throws JournalException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT OR REPLACE INTO hotlist (id, version, cards, fetched_at) VALUES (1, ?, ?, ?)")) {
            p.setLong(1, version);
            p.setString(2, String.join(",", cards));
            p.setString(3, Instant.now().toString());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("keep the hot list", e);
        }
    }

    /** The version of the hot list kept, or -1 when none was ever fetched. */
    public synchronized long hotListVersion() throws JournalException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM hotlist WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            throw failed("read the hot list", e);
        }
    }

    /** The card serials of the hot list kept (empty when none was ever fetched). */
    public synchronized Set<String> hotList() throws JournalException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT cards FROM hotlist WHERE id = 1")) {
            Set<String> cards = new LinkedHashSet<>();
            if (rs.next() && !rs.getString(1).isEmpty()) {
                cards.addAll(List.of(rs.getString(1).split(",")));
            }
            return cards;
        } catch (SQLException e) {
            throw failed("read the hot list", e);
        }
    }

    public synchronized Optional<JournalRecord> find(long id) throws JournalException {
        List<JournalRecord> r = query("WHERE id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    private List<JournalRecord> query(String where, Object... args) throws JournalException {
        try (PreparedStatement p = db.prepareStatement("SELECT id, kind, state, terminal_id, terminal_serial, aid, label,"
                + " card_serial, counter, amount, currency, balance_before, card_random, tx_date, tx_time, mac2, tac, note,"
                + " created_at, updated_at FROM transactions " + where)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            List<JournalRecord> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
            return out;
        } catch (SQLException | RuntimeException e) {
            throw failed("read the journal", e);
        }
    }

    private static JournalRecord record(ResultSet rs) throws SQLException {
        return new JournalRecord(
                rs.getLong("id"),
                TransactionKind.valueOf(rs.getString("kind")),
                TransactionState.valueOf(rs.getString("state")),
                Bytes.fromHex(rs.getString("terminal_id")),
                rs.getLong("terminal_serial"),
                rs.getString("aid"),
                rs.getString("label"),
                Bytes.fromHex(rs.getString("card_serial")),
                rs.getInt("counter"),
                Money.of(rs.getLong("amount"), Currency.getInstance(rs.getString("currency"))),
                rs.getLong("balance_before"),
                Bytes.fromHex(rs.getString("card_random")),
                LocalDate.parse(rs.getString("tx_date"), DATE),
                LocalTime.parse(rs.getString("tx_time"), TIME),
                hexOrNull(rs.getString("mac2")),
                hexOrNull(rs.getString("tac")),
                rs.getString("note"),
                Instant.parse(rs.getString("created_at")),
                Instant.parse(rs.getString("updated_at")));
    }

    private static byte[] hexOrNull(String hex) {
        return hex == null ? null : Bytes.fromHex(hex);
    }

    /** A pragma's value on this connection (synchronous, journal_mode are per connection), for tests. */
    synchronized String pragma(String name) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.getString(1);
        }
    }

    /** Work that several statements do together. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction that takes the write lock at BEGIN (two terminals sharing
     * a file never hand out one serial twice) and is synced to disk by COMMIT. Outside such a block
     * the connection is in autocommit and holds no lock.
     */
    private static <T> T inTransaction(Connection db, SqlWork<T> work) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        try {
            T result = work.run();
            try (Statement s = db.createStatement()) {
                s.execute("COMMIT");
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try (Statement s = db.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private JournalException failed(String what, Exception e) {
        return new JournalException("journal " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() throws JournalException {
        try {
            db.close();
        } catch (SQLException e) {
            throw new JournalException("cannot close the journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // reporting the open failure instead
            }
        }
    }

    @Override
    public String toString() {
        return "Journal[" + file + ", terminal " + Bytes.hex(terminalId) + "]";
    }
}
