package nfcpay.card.link;

import javacard.framework.Util;

/**
 * The in-card contract between the selector and the card applications (PROTOCOL.md 2.3, 2.4; the
 * layouts are the project's, documented in docs/protocol.md).
 *
 * <h2>Account record</h2>
 * <pre>
 *   plaintext P (16 bytes, one AES block):
 *     version (1) = 01 | status (1) | currency (2, n3) | available balance (4, binary) | challenge (8)
 *   record (24 bytes) = C (16) | T (8)
 *     C = AES-128-CBC(Kenc, IV = 0, P)            one block; P carries the fresh challenge
 *     T = leftmost 8 bytes of AES-CMAC(Kmac, C)   encrypt-then-MAC
 * </pre>
 * The selector verifies T, decrypts, and checks version and the echoed challenge before it believes
 * a single byte.
 */
public final class Link {

    private Link() {}

    /** SIO parameter for {@link SelectorRegistry}. */
    public static final byte SIO_REGISTRY = (byte) 0x01;
    /** SIO parameter for {@link AccountInfoSource}. */
    public static final byte SIO_ACCOUNT_INFO = (byte) 0x02;

    /**
     * Length of the selector's AID, "2PAY.SYS.DDF01" (PROTOCOL.md 2), which {@link #writePpseAid} writes.
     * A library package may not initialize a static array (Java Card converter), so the AID is code.
     */
    public static final byte PPSE_AID_LENGTH = 14;

    /** Writes "2PAY.SYS.DDF01" at {@code to[at]}; returns the offset after it. */
    public static short writePpseAid(byte[] to, short at) {
        at = Util.setShort(to, at, (short) 0x3250); // "2P"
        at = Util.setShort(to, at, (short) 0x4159); // "AY"
        at = Util.setShort(to, at, (short) 0x2E53); // ".S"
        at = Util.setShort(to, at, (short) 0x5953); // "YS"
        at = Util.setShort(to, at, (short) 0x2E44); // ".D"
        at = Util.setShort(to, at, (short) 0x4446); // "DF"
        return Util.setShort(to, at, (short) 0x3031); // "01"
    }

    /** Credential: AES-128 encryption key (16) | AES-128 CMAC key (16). */
    public static final short CREDENTIAL_LENGTH = 32;
    public static final short AES_KEY_LENGTH = 16;
    public static final short CHALLENGE_LENGTH = 8;

    // Plaintext layout
    public static final short P_VERSION = 0;
    public static final short P_STATUS = 1;
    public static final short P_CURRENCY = 2;
    public static final short P_BALANCE = 4;
    public static final short P_CHALLENGE = 8;
    public static final short PLAINTEXT_LENGTH = 16;

    public static final byte RECORD_VERSION = (byte) 0x01;
    public static final short TAG_LENGTH = 8;
    public static final short RECORD_LENGTH = 24;

    // Account status (P_STATUS)
    public static final byte STATUS_ACTIVE = (byte) 0x00;
    public static final byte STATUS_LOCKED = (byte) 0x01;
    public static final byte STATUS_EXPIRED = (byte) 0x02;

    /** Label length limits (EMV tag 50, ans 1..16). */
    public static final short LABEL_MAX = 16;
    /** Priority limits (EMV tag 87, b4..b1; 1 = highest). */
    public static final byte PRIORITY_MIN = (byte) 1;
    public static final byte PRIORITY_MAX = (byte) 15;
}
