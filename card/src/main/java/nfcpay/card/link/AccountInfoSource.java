package nfcpay.card.link;

import javacard.framework.Shareable;

/**
 * What a card application offers the selector across the firewall (PROTOCOL.md 2.4): its account
 * information, encrypted and authenticated under the credential the selector gave it at registration.
 * Obtained with {@code JCSystem.getAppletShareableInterfaceObject(appAid, Link.SIO_ACCOUNT_INFO)};
 * the application serves it only when the client AID is the selector's.
 */
public interface AccountInfoSource extends Shareable {

    /**
     * In: {@code buffer[offset .. offset + Link.CHALLENGE_LENGTH)} holds the selector's fresh challenge.
     * Out: {@code buffer[offset .. offset + Link.RECORD_LENGTH)} holds the account record (see {@link Link}).
     * Returns {@link Link#RECORD_LENGTH}, or 0 when the application has no credential (not registered).
     * {@code buffer} must be the APDU buffer (a global array).
     */
    short readAccountInfo(byte[] buffer, short offset);

    /**
     * The holder activated ({@code true}) or deactivated this application for contactless payments (SET STATUS,
     * docs/protocol.md 5.4). A deactivated application refuses contactless purchases itself, so a terminal that
     * selects it directly, past the PPSE, cannot debit it either. Called by the selector only, inside its own
     * transaction, with no data crossing the firewall.
     */
    void holderActivation(boolean active);
}
