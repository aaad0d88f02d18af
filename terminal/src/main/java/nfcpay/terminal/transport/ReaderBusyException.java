package nfcpay.terminal.transport;

/**
 * Another process held the reader for its own exchange for longer than this tap would wait.
 * Nothing was sent to the card.
 */
public class ReaderBusyException extends TransportException {

    private static final long serialVersionUID = 1L;

    public ReaderBusyException(String message) {
        super(message);
    }
}
