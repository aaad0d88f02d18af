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

    /**
     * The version of the card purchase keys (DPK) this module's MPK diversifies (1 to 255). A card announces its DPK's
     * version in INITIALIZE FOR PURCHASE; the kernel sends no DEBIT to a card of another version, since its MAC1 could
     * only fail there and cost the card one of its ten MAC tries.
     */
    int purchaseKeyVersion();

    /** True when the master key is the published test key: every output must then say "test keys". */
    boolean usesTestKeys();
}
