package nfcpay.terminal.kernel;

import java.util.List;
import nfcpay.terminal.money.Money;

/**
 * A completed load (top-up).
 *
 * @param application the card application loaded
 * @param amount the amount loaded
 * @param balanceBefore the balance INITIALIZE FOR LOAD reported
 * @param balanceAfter balance before plus amount
 * @param tac the card's TAC (hex)
 * @param onlineCounter the online counter of the load
 * @param maskedSerial the application serial number, masked
 * @param terminalSerial the terminal transaction serial journaled with it
 * @param journalId the journal record
 * @param recoveries pending transactions of this application resolved first
 * @param testKeys true when the purchase security module (which settles torn purchases first) uses the test keys
 * @param completesTornLoad true when this answer is a torn load of the same amount that this tap proved the card
 *     credited: nothing more was credited
 * @param hostConfirmation "posted" when the issuer host posted the load on its TAC, else why not yet
 */
public record LoadResult(CardApplication application, Money amount, Money balanceBefore, Money balanceAfter, String tac,
        int onlineCounter, String maskedSerial, long terminalSerial, long journalId, List<Recovery> recoveries,
        boolean testKeys, boolean completesTornLoad, String hostConfirmation) {

    public LoadResult {
        recoveries = List.copyOf(recoveries);
    }
}
