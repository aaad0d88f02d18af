package nfcpay.reliability.tearing;

import nfcpay.reliability.runtime.TransactionalCard;

/**
 * One command to tear at every persistence event, with the card state it starts from and the invariants
 * the card must keep whatever the tear point.
 *
 * @param <S> what {@link #prepare()} builds: the card and whatever the checks need to know about it
 */
public interface TearScenario<S> {

    String name();

    /** A fresh card in the scenario's known state, ready for the command. Called once per tear point. */
    S prepare();

    TransactionalCard card(S state);

    /** Sends the command under test; a {@code CardTornException} is the tear and propagates. */
    void run(S state);

    /**
     * Checks the invariants after the power is back (the card has been powered up; it was torn, or, for
     * the last tear point, the command completed and its response was lost).
     *
     * @param completed the command ran to its end (no event was cut)
     */
    Outcome check(S state, boolean completed);

    /** Whether the command's effect happened, and every invariant that did not hold (none when the card is right). */
    record Outcome(boolean happened, java.util.List<String> violations) {}
}
