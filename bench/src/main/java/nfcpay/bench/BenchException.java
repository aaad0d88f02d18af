package nfcpay.bench;

/** The benchmark could not run to the end; the message is one line for the user. */
public class BenchException extends Exception {

    private static final long serialVersionUID = 1L;

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
