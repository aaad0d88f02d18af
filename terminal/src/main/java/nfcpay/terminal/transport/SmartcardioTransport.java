package nfcpay.terminal.transport;

import java.util.Locale;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * The one adapter over {@code javax.smartcardio}: any PC/SC reader, and jcardsim's
 * {@code CardTerminalSimulator}, which offers the same API in process. Obtain one with
 * {@link Readers#connect}.
 */
public final class SmartcardioTransport implements Transport {

    /**
     * PC/SC conditions that mean the card is gone or was reset under us (pcsclite and WinSCard
     * names). NOT_TRANSACTED is how pcscd reports a reader driver that lost the card in the middle
     * of an exchange (vpcd when its card's connection drops): the command may have run, exactly
     * what a tear is.
     */
    private static final String[] CARD_GONE = {"REMOVED_CARD", "NO_SMARTCARD", "RESET_CARD", "UNPOWERED_CARD",
        "CARD_NOT_PRESENT", "NOT_TRANSACTED", "CARD WAS REMOVED", "CARD WAS DISCONNECTED"};

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
        } catch (IllegalArgumentException e) {
            if (isAnswerWithoutStatusWord(e)) {
                // a reader returns an empty answer when the card vanished under the command (vpcd
                // does): the command may have run
                throw new CardRemovedException("the card left the field (an answer without a status word)", e);
            }
            throw new TransportException("the reader refused the command: " + e.getMessage(), e);
        } catch (CardException e) {
            throw classify(e);
        }
    }

    /** ResponseAPDU's refusal of fewer than 2 bytes ("apdu must be at least 2 bytes long"). */
    static boolean isAnswerWithoutStatusWord(IllegalArgumentException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals(ResponseAPDU.class.getName())) {
                return true;
            }
        }
        return String.valueOf(e.getMessage()).contains("at least 2 bytes");
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

    /**
     * Disconnects with a reset, as a terminal does after a transaction: no session survives. A card
     * that already left has nothing to release: that is not an error (the transaction's outcome
     * was decided before).
     */
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
            if (!(classify(e) instanceof CardRemovedException)) {
                throw new TransportException("reader error on disconnect: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "Smartcardio(" + card.getProtocol() + ")";
    }
}
