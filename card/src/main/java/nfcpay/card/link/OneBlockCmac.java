package nfcpay.card.link;

import javacard.security.AESKey;
import javacard.security.CryptoException;
import javacard.security.Signature;
import javacardx.crypto.Cipher;

/**
 * AES-CMAC (NIST SP 800-38B) of exactly one 16-byte block: the tag of the account record, whose
 * ciphertext C is one block (docs/protocol.md 4).
 *
 * <p>{@code Signature.ALG_AES_CMAC_128} is optional in Java Card 3.0.5: many SIMs and Oracle's reference
 * VM lack it. Without it, or when the applet is installed with the software flag, the tag is built from
 * the AES block cipher every 3.0.5 card with AES has. For one complete block M,
 * {@code CMAC(K, M) = AES(K, M XOR K1)} with the subkey {@code K1 = dbl(AES(K, 0^128))}; both ways give
 * the same bytes (RFC 4493 example 2 holds it in the tests).
 */
public final class OneBlockCmac {

    public static final short BLOCK = 16;
    /** SP 800-38B 6.1: the constant R_128 folded into the last byte when dbl() shifts a 1 out. */
    private static final byte R128 = (byte) 0x87;

    /** The platform's CMAC, or null when the tag is built from {@link #aes}. */
    private final Signature cmac;
    /** AES-128 CBC without padding, IV zero: on one block, the block cipher itself. Shared with the owner. */
    private final Cipher aes;

    /**
     * {@code aes} is the owner's ALG_AES_BLOCK_128_CBC_NOPAD instance (initialised here before every use);
     * {@code fromBlockCipher} forces the software construction. Used only in the owner's own context, while it is
     * the selected applet: behind a Shareable Interface Object no engine is usable on every card (docs/card.md).
     */
    public OneBlockCmac(Cipher aes, boolean fromBlockCipher) {
        this.aes = aes;
        Signature platform = null;
        if (!fromBlockCipher) {
            try {
                platform = Signature.getInstance(Signature.ALG_AES_CMAC_128, false);
            } catch (CryptoException e) {
                if (e.getReason() != CryptoException.NO_SUCH_ALGORITHM) {
                    throw e;
                }
            }
        }
        cmac = platform;
    }

    /** True when the platform's ALG_AES_CMAC_128 computes the tag; false when the block cipher does. */
    public boolean usesPlatformCmac() {
        return cmac != null;
    }

    /**
     * Writes the CMAC subkey K1 of {@code key} at {@code out[outOffset .. + 16)}. Only the software
     * construction needs it; a caller that keeps it keeps key material and must guard it as such.
     */
    public void subkey(AESKey key, byte[] out, short outOffset) {
        for (short i = 0; i < BLOCK; i++) {
            out[(short) (outOffset + i)] = 0;
        }
        aes.init(key, Cipher.MODE_ENCRYPT);
        aes.doFinal(out, outOffset, BLOCK, out, outOffset);
        dbl(out, outOffset);
    }

    /**
     * dbl() of SP 800-38B in place on {@code b[offset .. + 16)}: shift the 128-bit string left by one; if a 1 fell
     * out, XOR the last byte with 87. K1 = dbl(AES(K, 0^128)).
     */
    public static void dbl(byte[] b, short offset) {
        boolean carryOut = (b[offset] & 0x80) != 0;
        short last = (short) (offset + BLOCK - 1);
        for (short i = offset; i < last; i++) {
            b[i] = (byte) ((b[i] << 1) | ((b[(short) (i + 1)] >> 7) & 0x01));
        }
        b[last] = (byte) (b[last] << 1);
        if (carryOut) {
            b[last] ^= R128;
        }
    }

    /**
     * The full 16-byte CMAC of {@code in[inOffset .. + 16)} under {@code key}, into {@code out[outOffset ..]}
     * ({@code out} may be {@code in} at the same offset). {@code subkey} is K1 of {@code key} ({@link #subkey});
     * it is not read when the platform computes the tag, and may then be null.
     */
    public void sign(AESKey key, byte[] subkey, short subkeyOffset, byte[] in, short inOffset,
            byte[] out, short outOffset) {
        if (cmac != null) {
            cmac.init(key, Signature.MODE_SIGN);
            cmac.sign(in, inOffset, BLOCK, out, outOffset);
            return;
        }
        for (short i = 0; i < BLOCK; i++) {
            out[(short) (outOffset + i)] = (byte) (in[(short) (inOffset + i)] ^ subkey[(short) (subkeyOffset + i)]);
        }
        aes.init(key, Cipher.MODE_ENCRYPT);
        aes.doFinal(out, outOffset, BLOCK, out, outOffset);
    }
}
