package nfcpay.terminal.transport;

import java.util.Locale;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;

/**
 * The one adapter over {@code javax.smartcardio}: any PC/SC reader, and jcardsim's
 * {@code CardTerminalSimulator}, which offers the same API in process. Obtain one with
 * {@link Readers#connect}.
 */
public final class SmartcardioTransport implements Transport {

    /** PC/SC conditions that mean the card is gone or was reset under us (pcsclite and WinSCard names). */
    private static final String[] CARD_GONE = {"REMOVED_CARD", "NO_SMARTCARD", "RESET_CARD", "UNPOWERED_CARD",
        "CARD_NOT_PRESENT", "CARD WAS REMOVED", "CARD WAS DISCONNECTED"};

    private final Card card;
    private final CardChannel channel;
    private boolean closed;

    public SmartcardioTransport(Card card) {
        this.card = card;
        this.channel = card.getBasicChannel();
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        CommandAPDU apdu;
        try {
            apdu = new CommandAPDU(command);
        } catch (IllegalArgumentException e) {
            throw new TransportException("malformed command APDU: " + e.getMessage(), e);
        }
        try {
            return channel.transmit(apdu).getBytes();
        } catch (IllegalStateException e) {
            // javax.smartcardio's way of saying the card (or our connection to it) is gone
            throw new CardRemovedException("the card left the field", e);
        } catch (CardException e) {
            throw classify(e);
        }
    }

    static TransportException classify(CardException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toUpperCase(Locale.ROOT);
            for (String gone : CARD_GONE) {
                if (message.contains(gone)) {
                    return new CardRemovedException("the card left the field", e);
                }
            }
        }
        return new TransportException("reader error: " + e.getMessage(), e);
    }

    /** Disconnects with a reset, as a terminal does after a transaction: no session survives. */
    @Override
    public void close() throws TransportException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            card.disconnect(true);
        } catch (IllegalStateException e) {
            // already gone: nothing to release
        } catch (CardException e) {
            throw new TransportException("reader error on disconnect: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Smartcardio(" + card.getProtocol() + ")";
    }
}
