package nfcpay.terminal.security;

import nfcpay.terminal.TerminalException;

/** A key file that cannot be used. The message names the file and the entry, never a key value. */
public class KeyFileException extends TerminalException {

    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
