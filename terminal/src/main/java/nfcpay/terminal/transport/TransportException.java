package nfcpay.terminal.transport;

import nfcpay.terminal.TerminalException;

/** The reader or the link to the card failed; nothing is known about what the card did. */
public class TransportException extends TerminalException {

    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
