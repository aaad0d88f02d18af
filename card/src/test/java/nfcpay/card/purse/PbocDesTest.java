package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javacard.security.DESKey;
import javacard.security.KeyBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PROTOCOL.md 3.3's published vectors through both ways the purse computes JR/T 0025 DES: the card's ECB and MAC4,
 * and CBC with MAC8 (all Oracle's 3.0.5 reference VM has). Both must give the same bytes.
 */
class PbocDesTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] KEY = HEX.parseHex("11223344556677888877665544332211");

    @ParameterizedTest(name = "chained only: {0}")
    @ValueSource(booleans = {false, true})
    void publishedLoadAndPurchaseVectors(boolean chainedOnly) {
        PbocDes des = new PbocDes(chainedOnly);
        assertThat(des.usesEcbAndMac4()).isEqualTo(!chainedOnly);
        DESKey card = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
        card.setKey(KEY, (short) 0);

        byte[] out = new byte[12];
        des.encryptBlock(card, HEX.parseHex("1122334400000000".replace("00000000", "00008000")), (short) 0, out, (short) 2);
        assertThat(HEX.formatHex(out, 2, 10)).isEqualTo("9B1D924E05595603");
        DESKey session = single(out, 2);
        byte[] mac = new byte[6];
        des.mac(session, HEX.parseHex("000000000000100001001122334455"), (short) 0, (short) 15, mac, (short) 1);
        assertThat(HEX.formatHex(mac, 1, 5)).isEqualTo("2988AE5A");
        des.mac(session, HEX.parseHex("0000100001001122334455201112212148" + "22"), (short) 0, (short) 18, mac, (short) 0);
        assertThat(HEX.formatHex(mac, 0, 4)).isEqualTo("3A845BF0");

        des.encryptBlock(card, HEX.parseHex("1122334400000001"), (short) 0, out, (short) 0);
        assertThat(HEX.formatHex(out, 0, 8)).isEqualTo("003238ABC57659DD");
        des.mac(single(out, 0), HEX.parseHex("000010000600112233445520120229135100"), (short) 0, (short) 18, mac, (short) 0);
        assertThat(HEX.formatHex(mac, 0, 4)).isEqualTo("F15CAB75");
    }

    private static DESKey single(byte[] key, int offset) {
        DESKey k = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES, false);
        k.setKey(key, (short) offset);
        return k;
    }
}
