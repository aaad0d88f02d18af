package nfcpay.sim.wallet;

import nfcpay.sim.SelectionPolicy;

/**
 * The wallet's own settings (GET DATA A5, docs/protocol.md 5.7).
 *
 * @param policy the selection policy the next payment applies
 * @param pinTriesLeft wrong PINs left before the holder PIN blocks; 0 = blocked
 * @param pinVerified the holder PIN is verified in this session
 * @param transportPin the PIN is still the transport PIN: change it before anything else changes
 */
public record WalletSettings(SelectionPolicy policy, int pinTriesLeft, boolean pinVerified, boolean transportPin) {

    public boolean pinBlocked() {
        return pinTriesLeft == 0;
    }
}
