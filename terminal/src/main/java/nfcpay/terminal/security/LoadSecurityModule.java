package nfcpay.terminal.security;

/**
 * The issuer's side of a load (top-up): holds the master load key MLK, checks that MAC1 really
 * comes from the card and authorizes the credit with MAC2. In production this is the issuer host;
 * the terminal only relays.
 */
public interface LoadSecurityModule {

    /** Whether the card's MAC1 equals MAC(session, old balance | amount | 02 | terminal ID). */
    boolean verifyMac1(LoadData load, byte[] mac1);

    /** MAC2 = MAC(session, amount | 02 | terminal ID | date | time), for CREDIT FOR LOAD. */
    byte[] computeMac2(LoadData load);

    /** True when MLK is the published test key. */
    boolean usesTestKeys();
}
