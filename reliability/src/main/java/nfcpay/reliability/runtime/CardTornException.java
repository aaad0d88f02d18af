package nfcpay.reliability.runtime;

/**
 * What the terminal sees when the power was cut during a command: no response at all. By the time this
 * is thrown the card has been powered up again: its open transaction rolled back, its transient memory
 * cleared and no applet selected.
 */
public final class CardTornException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long event;

    CardTornException(long event) {
        super("card torn at persistence event " + event);
        this.event = event;
    }

    /** The absolute persistence event (see {@link PersistentMemory#events()}) that did not happen. */
    public long event() {
        return event;
    }
}
