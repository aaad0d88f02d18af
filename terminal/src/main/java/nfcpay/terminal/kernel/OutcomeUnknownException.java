package nfcpay.terminal.kernel;

import nfcpay.terminal.TerminalException;

/**
 * DEBIT FOR PURCHASE was sent and the card's answer does not say whether it debited: a status word
 * that the contract does not list as a refusal (6F00, 6581, 6400, an unknown one), or 9000 with an
 * answer that cannot be read. The card may have committed the debit before it failed, so the sale is
 * neither approved nor declined: its journal record stays PENDING, and the next tap of the same card
 * settles it from the card's proof (GET TRANSACTION PROVE), as after a tear. A re-tap for the same
 * amount completes the sale without charging twice.
 */
public final class OutcomeUnknownException extends TerminalException {

    private static final long serialVersionUID = 1L;

    private final long journalId;

    public OutcomeUnknownException(String message, long journalId, Throwable cause) {
        super(message, cause);
        this.journalId = journalId;
    }

    /** The PENDING journal record that the next tap settles. */
    public long journalId() {
        return journalId;
    }
}
