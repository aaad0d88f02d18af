package nfcpay.terminal.journal;

/** The JR/T 0025 transaction types the terminal journals, with their type byte. */
public enum TransactionKind {
    PURCHASE(0x06),
    LOAD(0x02);

    private final int type;

    TransactionKind(int type) {
        this.type = type;
    }

    /** The transaction type byte (log records, GET TRANSACTION PROVE P2). */
    public int type() {
        return type;
    }
}
