package nfcpay.reliability.applets;

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
import nfcpay.sim.SimAssembly;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.Link;
import nfcpay.card.link.SelectorRegistry;

/**
 * Test-only card application that registers with the selector on command, so that registration can be
 * torn apart from personalization, and that answers the selector's account-record request like a purse
 * (docs/protocol.md 4) with a balance set by command. CLA 80, INS:
 * <ul>
 *   <li>10: registers with {@code L | label | priority} from the data. P1 = 01: the way a card application
 *       must, with the selector's registry update and its own credential in one transaction; P1 = 00: the
 *       selector's transaction first, then its own key updates (a deliberately non-atomic control).</li>
 *   <li>20: sets the balance its account record reports (4 bytes).</li>
 *   <li>30 P1=n: the next n account records replay the first one it computes (a replay attacker).</li>
 * </ul>
 */
public final class RegistrantApplet extends Applet implements AccountInfoSource {

    /** "2PAY.SYS.DDF01" (a test applet on the simulated card may keep it in a static array). */
    private static final byte[] PPSE_AID = SimAssembly.ppseAid();

    private final AESKey enc = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
    private final AESKey mac = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
    private final Cipher aes = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, false);
    private final Signature cmac = Signature.getInstance(Signature.ALG_AES_CMAC_128, false);
    private final byte[] balance = new byte[4];
    private final byte[] scratch = JCSystem.makeTransientByteArray((short) 16, JCSystem.CLEAR_ON_RESET);
    private final byte[] replay = new byte[Link.RECORD_LENGTH];
    private boolean registered;
    private byte replays;
    private boolean haveReplay;

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new RegistrantApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        apdu.setIncomingAndReceive();
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x10:
                registerWithSelector(buf, buf[ISO7816.OFFSET_P1] == 1);
                return;
            case 0x20:
                Util.arrayCopy(buf, ISO7816.OFFSET_CDATA, balance, (short) 0, (short) 4);
                return;
            case 0x30:
                replays = buf[ISO7816.OFFSET_P1];
                haveReplay = false;
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private void registerWithSelector(byte[] buf, boolean atomic) {
        AID ppse = JCSystem.lookupAID(PPSE_AID, (short) 0, Link.PPSE_AID_LENGTH);
        Shareable sio = ppse == null ? null : JCSystem.getAppletShareableInterfaceObject(ppse, Link.SIO_REGISTRY);
        if (sio == null) {
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (atomic) {
            JCSystem.beginTransaction();
        }
        ((SelectorRegistry) sio).register(buf, ISO7816.OFFSET_CDATA);
        enc.setKey(buf, ISO7816.OFFSET_CDATA);
        mac.setKey(buf, (short) (ISO7816.OFFSET_CDATA + Link.AES_KEY_LENGTH));
        registered = true;
        if (atomic) {
            JCSystem.commitTransaction();
        }
        Util.arrayFillNonAtomic(buf, ISO7816.OFFSET_CDATA, Link.CREDENTIAL_LENGTH, (byte) 0);
    }

    @Override
    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        if (parameter == Link.SIO_ACCOUNT_INFO && clientAID != null
                && clientAID.equals(PPSE_AID, (short) 0, Link.PPSE_AID_LENGTH)) {
            return this;
        }
        return null;
    }

    @Override
    public short readAccountInfo(byte[] buffer, short offset) {
        if (!registered) {
            return 0;
        }
        if (replays > 0 && haveReplay) {
            replays--;
            Util.arrayCopyNonAtomic(replay, (short) 0, buffer, offset, Link.RECORD_LENGTH);
            return Link.RECORD_LENGTH;
        }
        // P = 01 | 00 (active) | 0156 | balance | challenge
        Util.arrayCopyNonAtomic(buffer, offset, buffer, (short) (offset + Link.P_CHALLENGE), Link.CHALLENGE_LENGTH);
        buffer[offset] = Link.RECORD_VERSION;
        buffer[(short) (offset + 1)] = Link.STATUS_ACTIVE;
        buffer[(short) (offset + 2)] = 0x01;
        buffer[(short) (offset + 3)] = 0x56;
        Util.arrayCopyNonAtomic(balance, (short) 0, buffer, (short) (offset + Link.P_BALANCE), (short) 4);
        aes.init(enc, Cipher.MODE_ENCRYPT);
        aes.doFinal(buffer, offset, Link.PLAINTEXT_LENGTH, buffer, offset);
        cmac.init(mac, Signature.MODE_SIGN);
        cmac.sign(buffer, offset, Link.PLAINTEXT_LENGTH, scratch, (short) 0);
        Util.arrayCopyNonAtomic(scratch, (short) 0, buffer, (short) (offset + Link.PLAINTEXT_LENGTH), Link.TAG_LENGTH);
        if (replays > 0 && !haveReplay) {
            Util.arrayCopyNonAtomic(buffer, offset, replay, (short) 0, Link.RECORD_LENGTH);
            haveReplay = true;
        }
        return Link.RECORD_LENGTH;
    }

    @Override
    public void holderActivation(boolean active) {
        // a test applet keeps no contactless state
    }
}
