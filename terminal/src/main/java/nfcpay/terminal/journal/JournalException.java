package nfcpay.terminal.journal;

import nfcpay.terminal.TerminalException;

/** The journal could not be read or written: the transaction must not go on without it. */
public class JournalException extends TerminalException {

    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
