package nfcpay.host.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The host's PostgreSQL: an embedded server (real PostgreSQL binaries from Maven Central) whose files
 * live under the data directory, or an existing server given by its JDBC URL. Either way the schema is
 * migrated by Flyway and connections come from a HikariCP pool.
 *
 * <p>The data directory is held by an exclusive file lock for as long as the host runs: a second host
 * on the same directory stops with one line instead of corrupting the embedded server. While it runs,
 * the embedded server's URL is written to {@code db.url} so that {@code nfcpay host token} can reach it.
 */
public final class Database implements AutoCloseable {

    public static final String LOCK_FILE = "host.lock";
    public static final String URL_FILE = "db.url";

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final String description;
    private final Path urlFile;

    private Database(FileChannel lockChannel, FileLock lock, EmbeddedPostgres embedded, HikariDataSource pool,
                     String description, Path urlFile) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
        this.urlFile = urlFile;
    }

    /**
     * Opens the host's database: {@code url} when given, else the embedded server under {@code dataDir}.
     * {@code dataDir} is locked in both cases (it names the host instance).
     */
    public static Database open(Path dataDir, Optional<String> url, int poolSize) throws HostStartException {
        FileChannel channel = null;
        FileLock lock = null;
        EmbeddedPostgres embedded = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new HostStartException("data directory " + dataDir + " is in use by another host");
            }
            String jdbcUrl;
            String description;
            Path urlFile = null;
            if (url.isPresent()) {
                jdbcUrl = url.get();
                description = "PostgreSQL at " + redact(jdbcUrl);
            } else {
                embedded = startEmbedded(dataDir.resolve("pg"));
                jdbcUrl = embedded.getJdbcUrl("postgres", "postgres");
                description = "embedded PostgreSQL in " + dataDir.resolve("pg");
                urlFile = dataDir.resolve(URL_FILE);
                Files.writeString(urlFile, jdbcUrl + "\n", StandardCharsets.UTF_8);
            }
            HikariDataSource pool = pool(jdbcUrl, poolSize);
            migrate(pool);
            return new Database(channel, lock, embedded, pool, description, urlFile);
        } catch (HostStartException e) {
            closeQuietly(embedded, lock, channel);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(embedded, lock, channel);
            throw new HostStartException("cannot open the database: " + oneLine(e), e);
        }
    }

    /**
     * The database of a data directory for a short command ({@code host token}, {@code host check}): the
     * running host's embedded server when one holds the directory, else the directory opened as the host would.
     */
    public static Database forCommand(Path dataDir, Optional<String> url) throws HostStartException {
        if (url.isPresent()) {
            // An explicit server needs no data directory: hosts may be running on it right now.
            HikariDataSource pool = pool(url.get(), 2);
            try {
                migrate(pool);
            } catch (RuntimeException e) {
                pool.close();
                throw new HostStartException("cannot migrate the database: " + oneLine(e), e);
            }
            return new Database(null, null, null, pool, "PostgreSQL at " + redact(url.get()), null);
        }
        Path urlFile = dataDir.resolve(URL_FILE);
        if (Files.exists(dataDir.resolve(LOCK_FILE)) && Files.exists(urlFile) && locked(dataDir)) {
            try {
                String running = Files.readString(urlFile, StandardCharsets.UTF_8).trim();
                HikariDataSource pool = pool(running, 2);
                return new Database(null, null, null, pool, "running host's embedded PostgreSQL", null);
            } catch (IOException e) {
                throw new HostStartException("cannot reach the running host's database: " + oneLine(e), e);
            }
        }
        return open(dataDir, url, 2);
    }

    public DataSource dataSource() {
        return pool;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
        if (urlFile != null) {
            try {
                Files.deleteIfExists(urlFile);
            } catch (IOException ignored) {
                // A stale db.url is harmless: it is only read while the lock is held.
            }
        }
        closeQuietly(embedded, lock, lockChannel);
    }

    private static boolean locked(Path dataDir) {
        try (FileChannel ch = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static EmbeddedPostgres startEmbedded(Path pgDir) throws IOException, HostStartException {
        Files.createDirectories(pgDir);
        stopOrphan(pgDir);
        return EmbeddedPostgres.builder()
                .setDataDirectory(pgDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    /**
     * A host killed with SIGKILL leaves its embedded postmaster running. We hold the data directory's lock,
     * so a live postmaster on it is that orphan: stop it (SIGTERM, a "smart" shutdown; bounded wait).
     */
    private static void stopOrphan(Path pgDir) throws IOException, HostStartException {
        Path pidFile = pgDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return;
        }
        String command = p.get().info().command().orElse("");
        if (!command.endsWith("postgres")) {
            return;
        }
        p.get().destroy();
        try {
            p.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new HostStartException("an earlier embedded PostgreSQL (pid " + pid + ") on " + pgDir
                    + " did not stop within 30 s");
        }
    }

    private static HikariDataSource pool(String jdbcUrl, int size) throws HostStartException {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(5_000);
        cfg.setValidationTimeout(2_000);
        cfg.setInitializationFailTimeout(5_000);
        cfg.setAutoCommit(true);
        cfg.setPoolName("nfcpay-host");
        try {
            return new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new HostStartException("cannot connect to the database at " + redact(jdbcUrl) + ": " + oneLine(rootCause(e)), e);
        }
    }

    private static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1****");
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String oneLine(Throwable e) {
        String m = String.valueOf(rootCause(e).getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void closeQuietly(EmbeddedPostgres embedded, FileLock lock, FileChannel channel) {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException | RuntimeException ignored) {
                // Stopping is best effort on the way out; the next start stops an orphan.
            }
        }
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // The process is exiting or the channel is already gone.
        }
    }
}
