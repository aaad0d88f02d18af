package nfcpay.card.purse;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The selector's side of the account record in plain JDK terms: AES-CMAC (RFC 4493) and AES-CBC with IV 0. */
final class AesCmac {

    private AesCmac() {}

    static byte[] cmac(byte[] key, byte[] message) {
        byte[] l = aesEcb(key, new byte[16]);
        byte[] k1 = doubled(l);
        byte[] k2 = doubled(k1);
        int blocks = Math.max(1, (message.length + 15) / 16);
        boolean complete = message.length > 0 && message.length % 16 == 0;
        byte[] last = Arrays.copyOfRange(message, (blocks - 1) * 16, blocks * 16);
        if (!complete) {
            last[message.length - (blocks - 1) * 16] = (byte) 0x80;
        }
        xor(last, complete ? k1 : k2);
        byte[] x = new byte[16];
        for (int i = 0; i < blocks - 1; i++) {
            xor(x, Arrays.copyOfRange(message, i * 16, i * 16 + 16));
            x = aesEcb(key, x);
        }
        xor(x, last);
        return aesEcb(key, x);
    }

    static byte[] decryptCbcZeroIv(byte[] key, byte[] ciphertext) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            return c.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] aesEcb(byte[] key, byte[] block) {
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return c.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] doubled(byte[] b) {
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            out[i] = (byte) ((b[i] << 1) | (i < 15 ? (b[i + 1] & 0xFF) >>> 7 : 0));
        }
        if ((b[0] & 0x80) != 0) {
            out[15] ^= (byte) 0x87;
        }
        return out;
    }

    private static void xor(byte[] into, byte[] with) {
        for (int i = 0; i < into.length; i++) {
            into[i] ^= with[i];
        }
    }
}
