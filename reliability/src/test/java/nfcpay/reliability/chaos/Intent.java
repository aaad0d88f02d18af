package nfcpay.reliability.chaos;

import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.money.Money;

/**
 * One sale (or top-up) the cashier means to make once, however many taps it takes.
 *
 * @param id the intent's number in the run
 * @param kind purchase or load
 * @param amount the amount
 * @param aid the application to load (loads only; a purchase lets the SIM choose), else null
 * @param terminal the terminal it is made at (its journal)
 * @param watermark the newest journal record id of that terminal before the intent's first tap: every
 *     later record of that journal, until the intent is settled, is the intent's
 */
record Intent(long id, TransactionKind kind, Money amount, String aid, int terminal, long watermark) {

    static Intent purchase(long id, Money amount, int terminal, long watermark) {
        return new Intent(id, TransactionKind.PURCHASE, amount, null, terminal, watermark);
    }

    static Intent load(long id, String aid, Money amount, int terminal, long watermark) {
        return new Intent(id, TransactionKind.LOAD, amount, aid, terminal, watermark);
    }
}
