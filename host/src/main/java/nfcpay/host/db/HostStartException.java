package nfcpay.host.db;

/** The host cannot start or reach its database; the message is the one line the operator reads. */
public final class HostStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public HostStartException(String message) {
        super(message);
    }

    public HostStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
