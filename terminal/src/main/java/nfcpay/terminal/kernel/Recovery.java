package nfcpay.terminal.kernel;

import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;

/**
 * What a tap found out about one PENDING journal record (PROTOCOL.md 4.4).
 *
 * @param journalId the record
 * @param kind purchase or load
 * @param application the card application
 * @param amount the amount of the torn transaction
 * @param state RECOVERED (the card did it), VOID (it did not), MAC2_FAILED (it did, but its proof
 *     does not verify), or PENDING (this tap could not tell: the record stays for the next one)
 * @param tac the TAC when the card's proof gave one, else null
 * @param note how it was decided
 */
public record Recovery(long journalId, TransactionKind kind, CardApplication application, Money amount,
        TransactionState state, String tac, String note) {}
