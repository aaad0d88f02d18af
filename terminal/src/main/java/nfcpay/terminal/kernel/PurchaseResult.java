package nfcpay.terminal.kernel;

import java.util.List;
import nfcpay.terminal.money.Money;

/**
 * The answer of one tap.
 *
 * @param outcome approved, declined, or MAC2 failed
 * @param application the card that paid (or tried to); null when declined before any card was chosen
 * @param amount the amount asked
 * @param balanceAfter the balance after the debit (INITIALIZE's balance minus the amount); null unless the card answered DEBIT
 * @param tac the card's TAC (hex); null unless the card answered DEBIT
 * @param offlineCounter the offline counter of the purchase; -1 when there was none
 * @param maskedSerial the paying application's serial number, masked; null when none
 * @param terminalSerial the terminal transaction serial used; -1 when none
 * @param journalId the journal record; -1 when nothing was journaled
 * @param reason why it was declined or failed; null when approved
 * @param recoveries pending transactions of this card resolved on this tap, before the purchase
 * @param testKeys true when the security module uses the published test keys
 */
public record PurchaseResult(Outcome outcome, CardApplication application, Money amount, Money balanceAfter, String tac,
        int offlineCounter, String maskedSerial, long terminalSerial, long journalId, String reason,
        List<Recovery> recoveries, boolean testKeys) {

    /** The cashier's answer for "no card on the SIM can cover the amount" (PROTOCOL.md 4.1). */
    public static final String INSUFFICIENT_FUNDS_ON_EVERY_CARD = "insufficient funds on every card";

    public enum Outcome {
        /** The card debited and its MAC2 verified: hand over the goods. */
        APPROVED,
        /** No card could pay; nothing was debited. */
        DECLINED,
        /**
         * The card answered DEBIT but its MAC2 did not verify: not approved. Journaled as MAC2_FAILED
         * with the TAC so the issuer can settle whether the card really debited.
         */
        MAC2_FAILED
    }

    public PurchaseResult {
        recoveries = List.copyOf(recoveries);
    }

    public boolean approved() {
        return outcome == Outcome.APPROVED;
    }

    /** True when this tap completed an earlier torn purchase (same card, same amount) instead of debiting again. */
    public boolean completesTornSale() {
        return journalId >= 0 && recoveries.stream().anyMatch(r -> r.journalId() == journalId);
    }

    static PurchaseResult declined(Money amount, CardApplication application, String reason, List<Recovery> recoveries,
            boolean testKeys) {
        return new PurchaseResult(Outcome.DECLINED, application, amount, null, null, -1, null, -1, -1, reason, recoveries, testKeys);
    }
}
