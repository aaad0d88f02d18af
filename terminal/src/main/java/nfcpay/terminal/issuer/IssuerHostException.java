package nfcpay.terminal.issuer;

import nfcpay.terminal.TerminalException;

/**
 * The issuer host refused (its error code and message) or could not be reached ({@link #unreachable()}:
 * the terminal keeps what it has and tries again later).
 */
public final class IssuerHostException extends TerminalException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public IssuerHostException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or 0 when the host did not answer. */
    public int status() {
        return status;
    }

    /** The host's error code ("bad_mac1", "hotlisted", ...), or "unreachable". */
    public String code() {
        return code;
    }

    public boolean unreachable() {
        return status == 0 || status == 503;
    }
}
