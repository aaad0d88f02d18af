package nfcpay.terminal.kernel;

/**
 * What SELECT of a card application returns (PROTOCOL.md 3.1).
 *
 * @param application AID, label and priority
 * @param issuerData its 9F0C
 */
public record ApplicationFci(CardApplication application, IssuerData issuerData) {}
