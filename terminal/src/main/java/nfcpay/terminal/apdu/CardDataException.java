package nfcpay.terminal.apdu;

import nfcpay.terminal.TerminalException;

/** The card answered 9000 with data this terminal cannot use: malformed, wrong length, unknown values. */
public class CardDataException extends TerminalException {

    private static final long serialVersionUID = 1L;

    public CardDataException(String message) {
        super(message);
    }

    public CardDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
