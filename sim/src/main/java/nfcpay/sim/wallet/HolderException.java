package nfcpay.sim.wallet;

/**
 * The selector refused a holder command; carries the status word and what it means for that command
 * (docs/protocol.md 5.8).
 */
public class HolderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the card said no, in the holder's terms. */
    public enum Refusal {
        /** 63Cx: the PIN was wrong; see {@link WrongPinException#triesLeft()}. */
        WRONG_PIN,
        /** 6983: the holder PIN is blocked; nothing can be changed any more (payments still work). */
        PIN_BLOCKED,
        /** 6982 on a change: VERIFY the holder PIN first (in this session). */
        PIN_REQUIRED,
        /** 6984: the transport PIN must be changed before anything else changes. */
        TRANSPORT_PIN,
        /** 6982 where no PIN would help: the command came over the contactless interface. */
        CONTACTLESS,
        /** 6985 on deactivation: the last active card stays active. */
        LAST_ACTIVE_CARD,
        /** 6A88: no such card application on the SIM (or nothing matched the listing). */
        UNKNOWN_CARD,
        /** The card answered something else: a malformed command, or a card that is not an nfcpay SIM. */
        REJECTED
    }

    private final int sw;
    private final Refusal refusal;

    public HolderException(String message, int sw, Refusal refusal) {
        super(message + String.format(" (SW %04X)", sw));
        this.sw = sw;
        this.refusal = refusal;
    }

    /** The status word, SW1 SW2. */
    public int sw() {
        return sw;
    }

    public Refusal refusal() {
        return refusal;
    }
}
