package nfcpay.card.link;

import javacard.framework.Shareable;

/**
 * What the selector offers a card application across the firewall (PROTOCOL.md 2.3): registration.
 * Obtained with {@code JCSystem.getAppletShareableInterfaceObject(selectorAid, Link.SIO_REGISTRY)};
 * the selector learns who is calling from the client AID the runtime hands its
 * {@code getShareableInterfaceObject}, never from the arguments.
 */
public interface SelectorRegistry extends Shareable {

    /**
     * Registers (or re-registers, which re-keys) the calling card application. Either way it starts new:
     * inactive, out of the PPSE and smart selection and last in the order, until the holder activates it under
     * the PIN (docs/protocol.md 2.4, 5.4); the caller should refuse contactless purchases until then.
     *
     * <p>In: {@code buffer[offset]} = label length L (1..16), then the label, then the priority (1 byte,
     * 1..15). {@code buffer} must be the APDU buffer (a global array).
     * Out: {@code buffer[offset .. offset + Link.CREDENTIAL_LENGTH)} holds the fresh credential
     * (AES-128 encryption key | AES-128 CMAC key) that the application must keep and use for its
     * account information; the method returns {@link Link#CREDENTIAL_LENGTH}.
     *
     * @throws javacard.framework.ISOException {@code 6A84} registry full, {@code 6A80} bad label or
     *     priority, {@code 6985} caller not authenticated
     */
    short register(byte[] buffer, short offset);

    /**
     * True when the calling card application (the same client AID check as {@link #register}) is in this
     * selector's registry. A purse asks on its contact selections and registers again when the answer is false:
     * after the selector was reinstalled, which empties the registry (docs/protocol.md 2.4).
     *
     * @throws javacard.framework.ISOException {@code 6985} caller not authenticated
     */
    boolean isRegistered();
}
