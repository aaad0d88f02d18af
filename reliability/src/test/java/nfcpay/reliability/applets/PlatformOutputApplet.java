package nfcpay.reliability.applets;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.DESKey;
import javacard.security.KeyBuilder;
import javacard.security.MessageDigest;
import javacard.security.RandomData;
import javacard.security.Signature;
import javacardx.crypto.Cipher;

/**
 * Test-only: platform APIs writing their result into a persistent array ({@code out}, 32 bytes) or, with
 * P2 01, into a transient one. CLA 80, INS: 10 {@code Cipher.doFinal} (DES-ECB of 8 data bytes), 20
 * {@code Signature.sign} (DES MAC8 of the data), 30 {@code RandomData.nextBytes} (8 bytes), 31
 * {@code RandomData.generateData} (8 bytes), 40 {@code DESKey.getKey} (16 bytes), 50
 * {@code MessageDigest.doFinal} (SHA-256 of the data, 32 bytes); P1 01: inside a transaction that is then
 * aborted. 70 answers {@code out}.
 */
public final class PlatformOutputApplet extends Applet {

    private final byte[] out = new byte[32];
    private final byte[] scratch = JCSystem.makeTransientByteArray((short) 32, JCSystem.CLEAR_ON_DESELECT);
    private final DESKey key = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
    private final Cipher cipher = Cipher.getInstance(Cipher.ALG_DES_ECB_NOPAD, false);
    private final Signature mac = Signature.getInstance(Signature.ALG_DES_MAC8_ISO9797_M2, false);
    /** The algorithm the applets use (deprecated in 3.0.5, see PurseApplet): one jcardsim implements. */
    @SuppressWarnings("deprecation")
    private final RandomData random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    private final MessageDigest sha = MessageDigest.getInstance(MessageDigest.ALG_SHA_256, false);

    private PlatformOutputApplet() {
        key.setKey(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, (short) 0);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new PlatformOutputApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    /** Uses the deprecated {@code generateData} on purpose: card code may still call it, and the barrier covers it. */
    @Override
    @SuppressWarnings("deprecation")
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        short lc = apdu.setIncomingAndReceive();
        byte[] target = buf[ISO7816.OFFSET_P2] == 1 ? scratch : out;
        boolean aborted = buf[ISO7816.OFFSET_P1] == 1;
        if (aborted) {
            JCSystem.beginTransaction();
        }
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x10:
                cipher.init(key, Cipher.MODE_ENCRYPT);
                cipher.doFinal(buf, ISO7816.OFFSET_CDATA, (short) 8, target, (short) 0);
                break;
            case 0x20:
                mac.init(key, Signature.MODE_SIGN);
                mac.sign(buf, ISO7816.OFFSET_CDATA, lc, target, (short) 0);
                break;
            case 0x30:
                random.nextBytes(target, (short) 0, (short) 8);
                break;
            case 0x31:
                random.generateData(target, (short) 0, (short) 8);
                break;
            case 0x40:
                key.getKey(target, (short) 0);
                break;
            case 0x50:
                sha.doFinal(buf, ISO7816.OFFSET_CDATA, lc, target, (short) 0);
                break;
            case 0x70:
                Util.arrayCopyNonAtomic(out, (short) 0, buf, (short) 0, (short) out.length);
                apdu.setOutgoingAndSend((short) 0, (short) out.length);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
        if (aborted) {
            JCSystem.abortTransaction();
        }
    }
}
