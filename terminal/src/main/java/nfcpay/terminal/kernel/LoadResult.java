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
 * @param testKeys true when the load security module uses the published test keys
 */
public record LoadResult(CardApplication application, Money amount, Money balanceBefore, Money balanceAfter, String tac,
        int onlineCounter, String maskedSerial, long terminalSerial, long journalId, List<Recovery> recoveries,
        boolean testKeys) {

    public LoadResult {
        recoveries = List.copyOf(recoveries);
    }
}
