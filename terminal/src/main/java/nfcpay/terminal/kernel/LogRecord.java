package nfcpay.terminal.kernel;

import java.time.LocalDate;
import java.time.LocalTime;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.money.Money;

/**
 * One record of the card's transaction log (READ RECORD, SFI 18; docs/protocol.md 3.2): counter (2)
 * | overdraft limit (3) | amount (4) | type (1) | terminal ID (6) | date (4) | time (3).
 *
 * @param number the record number, 1 = newest
 * @param counter the offline (purchase) or online (load) counter of the transaction
 * @param type the transaction type byte, 06 purchase, 02 load
 * @param amount the amount, in the application's currency
 * @param terminalId the terminal ID, hex
 * @param date the date the terminal sent
 * @param time the time the terminal sent
 */
public record LogRecord(int number, int counter, int type, Money amount, String terminalId, LocalDate date, LocalTime time) {

    /** The kind, or null for a type this terminal does not make. */
    public TransactionKind kind() {
        for (TransactionKind k : TransactionKind.values()) {
            if (k.type() == type) {
                return k;
            }
        }
        return null;
    }
}
