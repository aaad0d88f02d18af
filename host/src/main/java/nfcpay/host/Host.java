package nfcpay.host;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import nfcpay.host.api.AdminReports;
import nfcpay.host.api.Credentials;
import nfcpay.host.api.HostApi;
import nfcpay.host.db.Database;
import nfcpay.host.db.HostStartException;
import nfcpay.host.db.Tx;
import nfcpay.host.keys.KeyService;
import nfcpay.host.ledger.PostgresLedger;

/**
 * A running issuer host: its database and its HTTP server on 127.0.0.1. {@code nfcpay host serve}
 * runs one in the foreground; tests and the demo run one in-process.
 */
public final class Host implements AutoCloseable {

    public static final String LOOPBACK = "127.0.0.1";

    private final Database db;
    private final Javalin server;
    private final KeyService keys;

    private Host(Database db, Javalin server, KeyService keys) {
        this.db = db;
        this.server = server;
        this.keys = keys;
    }

    /**
     * Starts a host. {@code port} 0 takes an ephemeral port. {@code dbUrl} empty starts the embedded
     * PostgreSQL under {@code dataDir}. Fails with one line for a port in use, a data directory in use,
     * or a database that cannot be reached.
     */
    public static Host start(Path dataDir, int port, Optional<String> dbUrl, KeyService keys) throws HostStartException {
        if (port != 0) {
            requireFree(port);
        }
        Database db = Database.open(dataDir, dbUrl, 16);
        try {
            Javalin server = new HostApi(db.dataSource(), keys, new PostgresLedger()).create(LOOPBACK, port);
            try {
                server.start();
            } catch (RuntimeException e) {
                server.stop();
                throw new HostStartException("cannot listen on " + LOOPBACK + ":" + port + ": " + e.getMessage(), e);
            }
            return new Host(db, server, keys);
        } catch (HostStartException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static void requireFree(int port) throws HostStartException {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new HostStartException("port " + port + " on " + LOOPBACK + " is already in use");
        }
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return "http://" + LOOPBACK + ":" + port();
    }

    public KeyService keys() {
        return keys;
    }

    public String databaseDescription() {
        return db.description();
    }

    /** The ledger check of the admin endpoint, for in-process callers. */
    public Map<String, Object> ledgerCheck() {
        return new AdminReports(db.dataSource(), new PostgresLedger()).ledgerCheck();
    }

    public Database database() {
        return db;
    }

    /**
     * Issues a bearer token on the data directory's database (the running host's, or opened for this
     * call): for one terminal, or for the admin when {@code terminalId} is null. Only its hash is stored.
     */
    public static String issueToken(Path dataDir, Optional<String> dbUrl, String terminalId) throws HostStartException {
        try (Database d = Database.forCommand(dataDir, dbUrl)) {
            return Tx.run(d.dataSource(), c -> Credentials.issue(c, terminalId));
        }
    }

    /** The ledger check over the data directory's database, as {@code nfcpay host check} prints it. */
    public static Map<String, Object> check(Path dataDir, Optional<String> dbUrl) throws HostStartException {
        try (Database d = Database.forCommand(dataDir, dbUrl)) {
            return new AdminReports(d.dataSource(), new PostgresLedger()).ledgerCheck();
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            db.close();
        }
    }
}
