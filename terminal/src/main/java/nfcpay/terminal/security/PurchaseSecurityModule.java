package nfcpay.terminal.security;

/**
 * The purchase security module (the PSAM of a PBOC terminal, or an HSM): holds the issuer's master
 * purchase key MPK and answers only with MACs. It derives the card's DPK from the application
 * serial number and the purchase session key from the INITIALIZE FOR PURCHASE answer, uses them,
 * and forgets them; nothing it holds can be read back.
 */
public interface PurchaseSecurityModule {

    /** MAC1 = MAC(session key, amount | 06 | terminal ID | date | time), for DEBIT FOR PURCHASE. */
    byte[] computeMac1(PurchaseData purchase);

    /** Whether the card's MAC2 equals MAC(session key, amount), compared in constant time. */
    boolean verifyMac2(PurchaseData purchase, byte[] mac2);

    /** True when the master key is the published test key: every output must then say "test keys". */
    boolean usesTestKeys();
}
