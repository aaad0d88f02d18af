package nfcpay.terminal.transport;

/**
 * The card did not answer a command within the tap's bound. The command may have run on the card,
 * so the kernel treats it like a card that left the field (tearing, PROTOCOL.md 4.4): a DEBIT
 * whose answer never came stays PENDING and is settled by the proof on the next tap.
 */
public class CardStalledException extends CardRemovedException {

    private static final long serialVersionUID = 1L;

    public CardStalledException(String message) {
        super(message);
    }
}
