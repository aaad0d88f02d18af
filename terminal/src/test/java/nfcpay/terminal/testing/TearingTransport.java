package nfcpay.terminal.testing;

import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * Takes the card out of the field at APDU number {@code tearAt} (0-based): before the command reaches
 * the card, or after the card ran it but before its answer reaches the terminal. Every later APDU
 * of this tap fails too: the card is gone.
 */
public final class TearingTransport implements Transport {

    public enum Mode {
        /** The card never saw the command. */
        BEFORE_SEND,
        /** The card ran the command; the answer is lost. */
        AFTER_SEND
    }

    private final Transport inner;
    private final int tearAt;
    private final Mode mode;
    private int sent;
    private boolean torn;

    public TearingTransport(Transport inner, int tearAt, Mode mode) {
        this.inner = inner;
        this.tearAt = tearAt;
        this.mode = mode;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        int index = sent++;
        if (torn) {
            throw new CardRemovedException("the card left the field");
        }
        if (index == tearAt) {
            torn = true;
            if (mode == Mode.AFTER_SEND) {
                inner.transceive(command);
            }
            throw new CardRemovedException("the card left the field at APDU " + index + " (" + mode + ")");
        }
        return inner.transceive(command);
    }

    public boolean torn() {
        return torn;
    }

    @Override
    public void close() throws TransportException {
        inner.close();
    }
}
