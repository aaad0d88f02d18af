package nfcpay.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The published JR/T 0025 test vectors of PROTOCOL.md 3.3. */
class PbocCryptoTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] KEY = HEX.parseHex("11223344556677888877665544332211");

    @Test
    void loadSessionKeyAndMacsMatchPublishedVectors() {
        byte[] session = PbocCrypto.loadSessionKey(KEY, HEX.parseHex("11223344"), HEX.parseHex("0000"));
        assertThat(HEX.formatHex(session)).isEqualTo("9B1D924E05595603");
        assertThat(HEX.formatHex(PbocCrypto.mac(session, HEX.parseHex("00000000000010000100112233445" + "5"))))
                .isEqualTo("2988AE5A");
        assertThat(HEX.formatHex(PbocCrypto.mac(session,
                HEX.parseHex("00001000"), HEX.parseHex("01"), HEX.parseHex("001122334455"),
                HEX.parseHex("20111221"), HEX.parseHex("214822"))))
                .isEqualTo("3A845BF0");
    }

    @Test
    void purchaseSessionKeyAndMac1MatchPublishedVectors() {
        byte[] session = PbocCrypto.purchaseSessionKey(KEY, HEX.parseHex("11223344"), HEX.parseHex("0000"),
                HEX.parseHex("00000001"));
        assertThat(HEX.formatHex(session)).isEqualTo("003238ABC57659DD");
        assertThat(HEX.formatHex(PbocCrypto.mac(session, HEX.parseHex("000010000600112233445520120229135100"))))
                .isEqualTo("F15CAB75");
    }

    @Test
    void macPadsAFullBlockWhenDataIsAligned() {
        byte[] key = HEX.parseHex("0123456789ABCDEF");
        byte[] aligned = HEX.parseHex("0102030405060708");
        byte[] explicitlyPadded = HEX.parseHex("01020304050607088000000000000000");
        // MAC(aligned) must equal the raw CBC-MAC of aligned || 80 00..00, i.e. differ from the unpadded CBC-MAC.
        assertThat(PbocCrypto.mac(key, aligned)).isNotEqualTo(PbocCrypto.mac(key, explicitlyPadded));
        assertThat(PbocCrypto.mac(key, aligned)).hasSize(4);
    }

    @Test
    void diversificationUsesRightmostEightSerialBytesAndTheirComplement() {
        byte[] mk = IssuerMasterKeys.TEST.purchaseKey(HEX.parseHex("00000000000000000001"));
        byte[] d = HEX.parseHex("0000000000000001");
        byte[] notD = HEX.parseHex("FFFFFFFFFFFFFFFE");
        byte[] mpk = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
        assertThat(java.util.Arrays.copyOfRange(mk, 0, 8)).isEqualTo(PbocCrypto.tripleDesEcb(mpk, d));
        assertThat(java.util.Arrays.copyOfRange(mk, 8, 16)).isEqualTo(PbocCrypto.tripleDesEcb(mpk, notD));
        // the two leftmost serial bytes do not take part
        assertThat(IssuerMasterKeys.TEST.purchaseKey(HEX.parseHex("FFFF0000000000000001"))).isEqualTo(mk);
    }

    @Test
    void tacKeyIsLeftXorRight() {
        assertThat(HEX.formatHex(PbocCrypto.tacKey(KEY))).isEqualTo("9955551111555599");
    }

    @Test
    void rejectsWrongLengths() {
        assertThatThrownBy(() -> PbocCrypto.diversify(new byte[15], new byte[10])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PbocCrypto.mac(new byte[16], new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void testKeysSayTheyAreTestKeys() {
        assertThat(IssuerMasterKeys.TEST.isTestKeys()).isTrue();
        assertThat(IssuerMasterKeys.TEST.toString()).contains("test keys").doesNotContain("0123456789");
    }
}
