package nfcpay.sim.wallet;

/** 63Cx: the PIN did not match; {@link #triesLeft()} more wrong ones block it (0: this one did). */
public final class WrongPinException extends HolderException {

    private static final long serialVersionUID = 1L;

    public WrongPinException(int sw) {
        super("wrong holder PIN, " + (sw & 0x0F) + " tries left", sw, Refusal.WRONG_PIN);
    }

    public int triesLeft() {
        return sw() & 0x0F;
    }
}
