package nfcpay.host.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One request, one transaction. Serialization failures, deadlocks and the unique-key races that two host
 * instances can run into are retried (bounded); a database that cannot be reached is {@link Unavailable}.
 */
public final class Tx {

    private static final int ATTEMPTS = 8;

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The database did not answer (down, restarting, or the commit's outcome is unknown): retry later. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Tx() {}

    public static <T> T run(DataSource ds, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(c);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                if (isConnectionFailure(e)) {
                    throw new Unavailable("the database is unavailable: " + Database.oneLine(e), e);
                }
                if (!isRetryable(e)) {
                    throw new IllegalStateException("database error: " + Database.oneLine(e), e);
                }
                sleep(attempt);
            }
        }
        throw new Unavailable("the database stayed busy after " + ATTEMPTS + " attempts: " + Database.oneLine(last), last);
    }

    private static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        // 40001 serialization failure, 40P01 deadlock, 23505 a unique key another transaction took first.
        return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        // 08xxx connection exceptions, 57P0x the server shutting down or restarting, Hikari's own timeout.
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is gone: the server rolls the transaction back itself.
        }
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(Math.min(200, 5L << attempt) + (long) (Math.random() * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while retrying a transaction", e);
        }
    }
}
