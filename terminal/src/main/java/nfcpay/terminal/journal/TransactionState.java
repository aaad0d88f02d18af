package nfcpay.terminal.journal;

/** Where a journaled transaction stands. Every record starts PENDING and leaves it exactly once. */
public enum TransactionState {
    /** Written before DEBIT (or CREDIT) was sent; what the card did is not known yet. */
    PENDING,
    /** The card answered and its MAC2 verified (a load: the card answered with its TAC). */
    COMPLETED,
    /** Torn, then proven on a later tap (GET TRANSACTION PROVE or the card's log): the card did it. */
    RECOVERED,
    /** The card did not do it: refused the command, or proven on a later tap not to have done it. */
    VOID,
    /** The card answered but its MAC2 did not verify: kept with the TAC for the issuer, never approved. */
    MAC2_FAILED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
