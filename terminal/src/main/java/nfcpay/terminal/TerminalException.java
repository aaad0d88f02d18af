package nfcpay.terminal;

/**
 * Anything that stops the terminal from finishing what it was asked to do. The message is one line
 * a cashier (or the command line) can show as it is: it names the problem and never carries a key,
 * a MAC or a full application serial number.
 */
public class TerminalException extends Exception {

    private static final long serialVersionUID = 1L;

    public TerminalException(String message) {
        super(message);
    }

    public TerminalException(String message, Throwable cause) {
        super(message, cause);
    }
}
