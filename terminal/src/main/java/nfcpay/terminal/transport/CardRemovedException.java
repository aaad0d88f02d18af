package nfcpay.terminal.transport;

/**
 * The card left the field. The command in flight may or may not have reached it, so the kernel
 * treats every APDU that ends this way as "maybe executed" (tearing, PROTOCOL.md 4.4).
 */
public class CardRemovedException extends TransportException {

    private static final long serialVersionUID = 1L;

    public CardRemovedException(String message) {
        super(message);
    }

    public CardRemovedException(String message, Throwable cause) {
        super(message, cause);
    }
}
