package nfcpay.card.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javacard.security.AESKey;
import javacard.security.KeyBuilder;
import javacardx.crypto.Cipher;
import org.junit.jupiter.api.Test;

/** RFC 4493 (AES-CMAC) on one full block, both ways: the platform's ALG_AES_CMAC_128 and the block-cipher construction. */
class OneBlockCmacTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** RFC 4493 section 4: the key, subkey K1, and example 2 (one 16-byte block). */
    private static final byte[] KEY = HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final String K1 = "FBEED618357133667C85E08F7236A8DE";
    private static final byte[] BLOCK = HEX.parseHex("6BC1BEE22E409F96E93D7E117393172A");
    private static final String TAG = "070A16B46B4D4144F79BDD9DD04A287C";

    @Test
    void theSubkeyIsRfc4493s() {
        OneBlockCmac cmac = new OneBlockCmac(aes(), true);
        byte[] k1 = new byte[20];
        cmac.subkey(key(), k1, (short) 2);
        assertThat(HEX.formatHex(k1, 2, 18)).isEqualTo(K1);
    }

    @Test
    void theBlockCipherConstructionGivesRfc4493sTag() {
        OneBlockCmac cmac = new OneBlockCmac(aes(), true);
        assertThat(cmac.usesPlatformCmac()).isFalse();
        byte[] k1 = new byte[16];
        cmac.subkey(key(), k1, (short) 0);
        byte[] out = new byte[16];
        cmac.sign(key(), k1, (short) 0, BLOCK, (short) 0, out, (short) 0);
        assertThat(HEX.formatHex(out)).isEqualTo(TAG);
    }

    @Test
    void thePlatformCmacGivesTheSameTagAndNeedsNoSubkey() {
        OneBlockCmac cmac = new OneBlockCmac(aes(), false);
        assertThat(cmac.usesPlatformCmac()).as("jcardsim has ALG_AES_CMAC_128").isTrue();
        byte[] inPlace = BLOCK.clone();
        cmac.sign(key(), null, (short) 0, inPlace, (short) 0, inPlace, (short) 0);
        assertThat(HEX.formatHex(inPlace)).isEqualTo(TAG);
    }

    @Test
    void signingInPlaceWithTheSubkeyInTheOutputWorks() {
        // AccountRecords computes K1 into the very bytes the tag then overwrites.
        OneBlockCmac cmac = new OneBlockCmac(aes(), true);
        byte[] scratch = new byte[16];
        cmac.subkey(key(), scratch, (short) 0);
        cmac.sign(key(), scratch, (short) 0, BLOCK, (short) 0, scratch, (short) 0);
        assertThat(HEX.formatHex(scratch)).isEqualTo(TAG);
    }

    private static Cipher aes() {
        return Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, false);
    }

    private static AESKey key() {
        AESKey key = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, false);
        key.setKey(KEY, (short) 0);
        return key;
    }
}
