package nfcpay.sim.wallet;

/** The client found no card application with that label or AID in the SIM's listing (decided off-card, no SW). */
public final class NoSuchCardException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public NoSuchCardException(String labelOrAid) {
        super("no card labelled or with AID '" + labelOrAid + "' on the SIM");
    }
}
