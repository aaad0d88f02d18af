package nfcpay.sim;

import nfcpay.card.Wire;

/**
 * The selector's selection policies (PROTOCOL.md 2.2), with the byte that stands for each in the install
 * parameters and in SET SELECTION POLICY / GET DATA A5 (docs/protocol.md 2.1 and 5).
 */
public enum SelectionPolicy {
    /** The covering application with the highest priority: the holder's default card when it covers. */
    PRIORITY(Wire.POLICY_PRIORITY),
    /** The covering application with the smallest balance (ties: priority). */
    BEST_FIT(Wire.POLICY_BEST_FIT),
    /** The covering application with the largest balance (ties: priority). */
    MOST_FUNDS(Wire.POLICY_MOST_FUNDS),
    /** Any covering application, at random: the seed patent's literal rule, kept for comparison. */
    ANY(Wire.POLICY_ANY);

    private final byte installByte;

    SelectionPolicy(byte installByte) {
        this.installByte = installByte;
    }

    byte installByte() {
        return installByte;
    }

    /** The policy byte on the wire ({@code Wire.POLICY_*}). */
    public byte wireValue() {
        return installByte;
    }

    /** The policy a wire byte stands for. */
    public static SelectionPolicy fromWireValue(int value) {
        for (SelectionPolicy policy : values()) {
            if (policy.installByte == value) {
                return policy;
            }
        }
        throw new IllegalArgumentException("no selection policy " + value);
    }
}
