package nfcpay.sim.wallet;

/** A card application's account status, as its authenticated account record says (docs/protocol.md 5.3, tag C1). */
public enum AccountStatus {
    ACTIVE,
    /** Consecutive MAC failures reached the limit: the purse refuses to pay or load. */
    LOCKED,
    /** A MAC-authenticated transaction date passed the expiry date. */
    EXPIRED,
    /** No authentic record: the application did not answer, or not under the credential the selector gave it. */
    UNKNOWN;

    static AccountStatus fromWireValue(int value) {
        switch (value) {
            case 0x00:
                return ACTIVE;
            case 0x01:
                return LOCKED;
            case 0x02:
                return EXPIRED;
            default:
                return UNKNOWN;
        }
    }
}
