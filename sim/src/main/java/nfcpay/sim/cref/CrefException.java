package nfcpay.sim.cref;

/**
 * The reference VM could not do what was asked: it did not start, died, hung, or refused a load or an install. The
 * message says which, with the end of cref's own output when that tells why.
 */
public final class CrefException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CrefException(String message) {
        super(message);
    }

    public CrefException(String message, Throwable cause) {
        super(message, cause);
    }
}
