package nfcpay.card.purse;

import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.CryptoException;
import javacard.security.DESKey;
import javacard.security.Signature;
import javacardx.crypto.Cipher;

/**
 * The two DES primitives of JR/T 0025 (PROTOCOL.md 3.3) on whatever DES the card has: one-block DES/3DES-ECB
 * (session keys) and the 4-byte CBC-MAC with ISO 9797-1 padding method 2 (MAC1, MAC2, TAC).
 *
 * <p>{@code Cipher.ALG_DES_ECB_NOPAD} and {@code Signature.ALG_DES_MAC4_ISO9797_M2} are what a PBOC card offers,
 * but both are optional, and Oracle's 3.0.5 reference VM has neither: it has {@code ALG_DES_CBC_ISO9797_M2} and
 * {@code ALG_DES_MAC8_ISO9797_M2}. The ECB block is then the first block of CBC with a zero IV (padding adds a
 * second block), and MAC4 the first four bytes of MAC8. Chosen once, at install.
 */
final class PbocDes {

    static final short BLOCK = 8;
    static final short MAC_LENGTH = 4;

    /** ALG_DES_ECB_NOPAD, or null: then {@link #cbc}. */
    private final Cipher ecb;
    private final Cipher cbc;
    /** ALG_DES_MAC4_ISO9797_M2, or null: then {@link #mac8}. */
    private final Signature mac4;
    private final Signature mac8;
    /**
     * Two blocks: a CBC output with its padding block, or a full MAC8. Cleared after every use, so CLEAR_ON_RESET
     * will do, and leaves the scarce CLEAR_ON_DESELECT RAM (1440 bytes on the reference VM, for every applet) alone.
     */
    private final byte[] scratch;

    /** {@code chainedOnly}: use CBC and MAC8 even where ECB and MAC4 exist (the tests run both ways on jcardsim). */
    PbocDes(boolean chainedOnly) {
        Cipher block = null;
        Signature mac = null;
        if (!chainedOnly) {
            try {
                block = Cipher.getInstance(Cipher.ALG_DES_ECB_NOPAD, false);
            } catch (CryptoException e) {
                requireNoSuchAlgorithm(e);
            }
            try {
                mac = Signature.getInstance(Signature.ALG_DES_MAC4_ISO9797_M2, false);
            } catch (CryptoException e) {
                requireNoSuchAlgorithm(e);
            }
        }
        ecb = block;
        cbc = block != null ? null : Cipher.getInstance(Cipher.ALG_DES_CBC_ISO9797_M2, false);
        mac4 = mac;
        mac8 = mac != null ? null : Signature.getInstance(Signature.ALG_DES_MAC8_ISO9797_M2, false);
        scratch = JCSystem.makeTransientByteArray((short) (2 * BLOCK), JCSystem.CLEAR_ON_RESET);
    }

    /** True when the card's ECB and MAC4 are used; false for CBC and MAC8. */
    boolean usesEcbAndMac4() {
        return ecb != null && mac4 != null;
    }

    /** {@code out[outOffset .. + 8)} = DES-ECB (3DES for a double-length key) of {@code in[inOffset .. + 8)}. */
    void encryptBlock(DESKey key, byte[] in, short inOffset, byte[] out, short outOffset) {
        if (ecb != null) {
            ecb.init(key, Cipher.MODE_ENCRYPT);
            ecb.doFinal(in, inOffset, BLOCK, out, outOffset);
            return;
        }
        cbc.init(key, Cipher.MODE_ENCRYPT);
        cbc.doFinal(in, inOffset, BLOCK, scratch, (short) 0);
        Util.arrayCopyNonAtomic(scratch, (short) 0, out, outOffset, BLOCK);
        Util.arrayFillNonAtomic(scratch, (short) 0, (short) (2 * BLOCK), (byte) 0);
    }

    /** {@code out[outOffset .. + 4)} = the JR/T 0025 MAC of {@code in[inOffset .. + length)} under {@code key}. */
    void mac(DESKey key, byte[] in, short inOffset, short length, byte[] out, short outOffset) {
        if (mac4 != null) {
            mac4.init(key, Signature.MODE_SIGN);
            mac4.sign(in, inOffset, length, out, outOffset);
            return;
        }
        mac8.init(key, Signature.MODE_SIGN);
        mac8.sign(in, inOffset, length, scratch, (short) 0);
        Util.arrayCopyNonAtomic(scratch, (short) 0, out, outOffset, MAC_LENGTH);
        Util.arrayFillNonAtomic(scratch, (short) 0, BLOCK, (byte) 0);
    }

    private static void requireNoSuchAlgorithm(CryptoException e) {
        if (e.getReason() != CryptoException.NO_SUCH_ALGORITHM) {
            throw e;
        }
    }
}
