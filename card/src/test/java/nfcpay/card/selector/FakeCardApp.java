package nfcpay.card.selector;

import nfcpay.card.TestAids;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import javacard.security.AESKey;
import javacard.security.KeyBuilder;
import javacard.security.Signature;
import javacardx.crypto.Cipher;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.Link;
import nfcpay.card.link.SelectorRegistry;

/**
 * Test-only card application: the selector's side of the link contract without a purse behind it.
 * It registers when told to, keeps the credential, and serves the account record of docs/protocol.md 4
 * with the same Java Card AES-CBC and AES-CMAC the selector verifies with, optionally misbehaving.
 *
 * <p>Installed with the GlobalPlatform install string ({@code Li AID | Lc | La}); driven by its own
 * APDUs, all CLA 80:
 * <ul>
 *   <li>{@code 10 REGISTER}, data {@code L | label | priority} passed to the selector as is.
 *       P1 {@link #REGISTER_NOW}, {@link #REGISTER_FETCH_ONLY} (ask for the registry, do not register),
 *       {@link #REGISTER_IN_TRANSACTION} (register from inside this applet's own transaction).</li>
 *   <li>{@code 20 SET ACCOUNT}, data {@code status (1) | currency (2) | balance (4)}.</li>
 *   <li>{@code 22 SET MODE}, P1 = one of the {@code MODE_*} misbehaviours.</li>
 *   <li>{@code 30 GET CREDENTIAL} (test only: a real application never lets it out) → 32 bytes.</li>
 *   <li>{@code 32 PUT CREDENTIAL}, data 32 bytes: e.g. put back a superseded credential.</li>
 * </ul>
 */
public final class FakeCardApp extends Applet implements AccountInfoSource {

    public static final byte INS_REGISTER = 0x10;
    public static final byte INS_SET_ACCOUNT = 0x20;
    public static final byte INS_SET_MODE = 0x22;
    public static final byte INS_GET_CREDENTIAL = 0x30;
    public static final byte INS_PUT_CREDENTIAL = 0x32;

    public static final byte REGISTER_NOW = 0;
    public static final byte REGISTER_FETCH_ONLY = 1;
    public static final byte REGISTER_IN_TRANSACTION = 2;

    public static final byte MODE_NORMAL = 0;
    /** Flips a ciphertext bit after computing the tag: the tag no longer matches. */
    public static final byte MODE_FLIP_CIPHERTEXT = 1;
    /** Flips a tag bit. */
    public static final byte MODE_WRONG_TAG = 2;
    /** Replays the last record it produced in normal mode: authentic, but for an old challenge. */
    public static final byte MODE_STALE = 3;
    /** Encrypts and tags a record whose challenge differs from the one asked for. */
    public static final byte MODE_WRONG_CHALLENGE = 4;
    /** Returns 0, as an unregistered application does. */
    public static final byte MODE_ZERO = 5;
    /** Authentic record with version 02. */
    public static final byte MODE_WRONG_VERSION = 6;
    /** Throws ISOException 6F00 out of readAccountInfo. */
    public static final byte MODE_THROW = 7;
    /** Claims a 16-byte record. */
    public static final byte MODE_SHORT = 8;
    /** While answering the selector, tries to register with it, then answers normally. */
    public static final byte MODE_REGISTER_WHILE_READ = 9;
    /** Opens a transaction and leaves it open, then answers normally. */
    public static final byte MODE_OPEN_TRANSACTION = 10;
    /** Throws a checked exception (UserException) out of readAccountInfo, which its interface does not declare. */
    public static final byte MODE_THROW_CHECKED = 11;

    private static final short ACCOUNT_LENGTH = 7;

    private final AESKey enc = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
    private final AESKey mac = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
    private final Cipher cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, false);
    private final Signature cmac = Signature.getInstance(Signature.ALG_AES_CMAC_128, false);
    /** status | currency | balance; default active, CNY, 0. */
    private final byte[] account = {Link.STATUS_ACTIVE, 0x01, 0x56, 0, 0, 0, 0};
    private final byte[] lastRecord = new byte[Link.RECORD_LENGTH];
    private boolean hasLastRecord;
    private byte mode = MODE_NORMAL;
    /** readAccountInfo runs while the selector is selected: CLEAR_ON_RESET, as on a real card. */
    private final byte[] scratch = JCSystem.makeTransientByteArray((short) 32, JCSystem.CLEAR_ON_RESET);

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new FakeCardApp().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    @Override
    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        if (parameter == Link.SIO_ACCOUNT_INFO && clientAID != null
                && clientAID.equals(TestAids.ppse(), (short) 0, Link.PPSE_AID_LENGTH)) {
            return this;
        }
        return null;
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buffer = apdu.getBuffer();
        if (buffer[ISO7816.OFFSET_CLA] != (byte) 0x80) {
            ISOException.throwIt(ISO7816.SW_CLA_NOT_SUPPORTED);
        }
        short lc = apdu.setIncomingAndReceive();
        switch (buffer[ISO7816.OFFSET_INS]) {
            case INS_REGISTER:
                register(buffer, buffer[ISO7816.OFFSET_P1]);
                return;
            case INS_SET_ACCOUNT:
                requireLength(lc, ACCOUNT_LENGTH);
                Util.arrayCopy(buffer, ISO7816.OFFSET_CDATA, account, (short) 0, ACCOUNT_LENGTH);
                return;
            case INS_SET_MODE:
                mode = buffer[ISO7816.OFFSET_P1];
                return;
            case INS_GET_CREDENTIAL:
                if (!enc.isInitialized()) {
                    ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
                }
                enc.getKey(buffer, (short) 0);
                mac.getKey(buffer, Link.AES_KEY_LENGTH);
                apdu.setOutgoingAndSend((short) 0, Link.CREDENTIAL_LENGTH);
                return;
            case INS_PUT_CREDENTIAL:
                requireLength(lc, Link.CREDENTIAL_LENGTH);
                keep(buffer, ISO7816.OFFSET_CDATA);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private static void requireLength(short lc, short expected) {
        if (lc != expected) {
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
    }

    private void register(byte[] buffer, byte how) {
        SelectorRegistry registry = registry();
        if (how == REGISTER_FETCH_ONLY) {
            return;
        }
        if (how == REGISTER_IN_TRANSACTION) {
            JCSystem.beginTransaction();
        }
        short length = registry.register(buffer, ISO7816.OFFSET_CDATA);
        if (length != Link.CREDENTIAL_LENGTH) {
            ISOException.throwIt(ISO7816.SW_DATA_INVALID);
        }
        keep(buffer, ISO7816.OFFSET_CDATA);
        if (how == REGISTER_IN_TRANSACTION) {
            JCSystem.commitTransaction();
        }
    }

    private static SelectorRegistry registry() {
        AID ppse = JCSystem.lookupAID(TestAids.ppse(), (short) 0, Link.PPSE_AID_LENGTH);
        Shareable sio = ppse == null ? null : JCSystem.getAppletShareableInterfaceObject(ppse, Link.SIO_REGISTRY);
        if (!(sio instanceof SelectorRegistry)) {
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND);
        }
        return (SelectorRegistry) sio;
    }

    private void keep(byte[] buffer, short offset) {
        enc.setKey(buffer, offset);
        mac.setKey(buffer, (short) (offset + Link.AES_KEY_LENGTH));
        Util.arrayFillNonAtomic(buffer, offset, Link.CREDENTIAL_LENGTH, (byte) 0);
    }

    @Override
    public short readAccountInfo(byte[] buffer, short offset) {
        if (!enc.isInitialized()) {
            return 0;
        }
        switch (mode) {
            case MODE_ZERO:
                return 0;
            case MODE_THROW:
                ISOException.throwIt(ISO7816.SW_UNKNOWN);
                break;
            case MODE_THROW_CHECKED:
                FakeCardApp.<RuntimeException>sneaky(new javacard.framework.UserException((short) 1));
                break;
            case MODE_STALE:
                if (hasLastRecord) {
                    Util.arrayCopyNonAtomic(lastRecord, (short) 0, buffer, offset, Link.RECORD_LENGTH);
                    return Link.RECORD_LENGTH;
                }
                break;
            case MODE_REGISTER_WHILE_READ:
                tryToRegisterWhileAnswering(buffer, offset);
                break;
            case MODE_OPEN_TRANSACTION:
                JCSystem.beginTransaction();
                break;
            default:
                break;
        }
        // P = version | status | currency | balance | challenge
        scratch[Link.P_VERSION] = mode == MODE_WRONG_VERSION ? (byte) 0x02 : Link.RECORD_VERSION;
        Util.arrayCopyNonAtomic(account, (short) 0, scratch, Link.P_STATUS, ACCOUNT_LENGTH);
        Util.arrayCopyNonAtomic(buffer, offset, scratch, Link.P_CHALLENGE, Link.CHALLENGE_LENGTH);
        if (mode == MODE_WRONG_CHALLENGE) {
            scratch[Link.P_CHALLENGE] ^= 0x01;
        }
        cipher.init(enc, Cipher.MODE_ENCRYPT);
        cipher.doFinal(scratch, (short) 0, Link.PLAINTEXT_LENGTH, buffer, offset);
        cmac.init(mac, Signature.MODE_SIGN);
        cmac.sign(buffer, offset, Link.PLAINTEXT_LENGTH, scratch, (short) 16);
        Util.arrayCopyNonAtomic(scratch, (short) 16, buffer, (short) (offset + Link.PLAINTEXT_LENGTH), Link.TAG_LENGTH);
        Util.arrayFillNonAtomic(scratch, (short) 0, (short) scratch.length, (byte) 0);
        if (mode == MODE_FLIP_CIPHERTEXT) {
            buffer[(short) (offset + 3)] ^= 0x10;
        } else if (mode == MODE_WRONG_TAG) {
            buffer[(short) (offset + Link.PLAINTEXT_LENGTH + Link.TAG_LENGTH - 1)] ^= 0x01;
        } else if (mode == MODE_NORMAL) {
            Util.arrayCopy(buffer, offset, lastRecord, (short) 0, Link.RECORD_LENGTH);
            hasLastRecord = true;
        }
        return mode == MODE_SHORT ? Link.PLAINTEXT_LENGTH : Link.RECORD_LENGTH;
    }

    /** The attack MODE_REGISTER_WHILE_READ stands for; whatever the selector answers, carry on. */
    private void tryToRegisterWhileAnswering(byte[] buffer, short offset) {
        Util.arrayCopyNonAtomic(buffer, offset, scratch, (short) 0, Link.CHALLENGE_LENGTH);
        try {
            buffer[(short) (offset + 8)] = 1;
            buffer[(short) (offset + 9)] = (byte) 'X';
            buffer[(short) (offset + 10)] = 1;
            registry().register(buffer, (short) (offset + 8));
        } catch (ISOException e) {
            // refused, as it must be
        }
        Util.arrayCopyNonAtomic(scratch, (short) 0, buffer, offset, Link.CHALLENGE_LENGTH);
    }

    @Override
    public void holderActivation(boolean active) {
        // a test applet keeps no contactless state
    }

    /** Throws {@code t} past the compiler's check, as hostile bytecode can: interface methods declare nothing. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
