package nfcpay.card.selector;

import javacard.framework.JCSystem;

/**
 * Atomic updates that also work when the caller is already inside a transaction: a card application
 * may register from within its own personalization transaction, and Java Card does not nest them.
 */
final class Transactions {

    private Transactions() {}

    /** Begins a transaction unless one is open; returns whether this call owns it. */
    static boolean begin() {
        if (JCSystem.getTransactionDepth() != 0) {
            return false;
        }
        JCSystem.beginTransaction();
        return true;
    }

    /** Commits the transaction {@link #begin()} opened; joins the caller's otherwise. */
    static void commit(boolean own) {
        if (own) {
            JCSystem.commitTransaction();
        }
    }
}
