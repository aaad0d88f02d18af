package nfcpay.host;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL for a test class, on 127.0.0.1 and an ephemeral port; each call of
 * {@link #newDatabase()} gives a fresh empty database on it, so hosts in one class do not share state
 * unless a test wants them to.
 */
final class TestPostgres implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private EmbeddedPostgres pg;
    private final Path dir;
    private final int port;

    TestPostgres(Path dir) throws IOException {
        this(dir, 0);
    }

    private TestPostgres(Path dir, int port) throws IOException {
        this.dir = dir;
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off");
        if (port != 0) {
            b.setPort(port);
        }
        this.pg = b.start();
        this.port = pg.getPort();
    }

    /** A new empty database; its JDBC URL. */
    String newDatabase() throws SQLException {
        String name = "host" + NEXT.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** Stops the server (its files stay). */
    void stop() throws IOException {
        pg.close();
    }

    /** Starts it again on the same files and port: a database restart as clients see it. */
    void restart() throws IOException {
        pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setPort(port)
                .start();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
