package nfcpay.reliability.sim;

import static nfcpay.reliability.sim.Bytes.concat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.sim.SimCard;

/**
 * The STORE DATA commands of docs/protocol.md 3.3 for one purse, as {@code nfcpay.sim.SimulatedSim}'s
 * personalization bureau sends them (same DGIs, same two blocks, same issuer data); a test holds the two
 * equal through the cards' SELECT answers.
 */
public final class Personalization {

    public static final byte[] ISSUER_ID = Bytes.hex("0000000008240001");
    public static final byte APPLICATION_VERSION = 0x01;
    public static final byte KEY_VERSION = 0x01;
    public static final String START_DATE = "20260101";
    public static final String EXPIRY_DATE = "20361231";

    private Personalization() {}

    /** Block 00 (issuer data, maximum balance, label, priority), then the last block 01 (the three keys). */
    public static List<CommandAPDU> storeData(SimCard card, IssuerMasterKeys keys) {
        return List.of(
                new CommandAPDU(0x80, 0xE2, 0x00, 0x00, firstBlock(card)),
                new CommandAPDU(0x80, 0xE2, Wire.P1_STORE_DATA_LAST & 0xFF, 0x01, lastBlock(card, keys)));
    }

    public static byte[] firstBlock(SimCard card) {
        return concat(
                dgi(Wire.DGI_ISSUER_DATA, issuerData(card)),
                dgi(Wire.DGI_MAX_BALANCE, Bytes.uint32(card.maxBalanceMinor())),
                dgi(Wire.DGI_LABEL, card.label().getBytes(StandardCharsets.US_ASCII)),
                dgi(Wire.DGI_PRIORITY, new byte[] {(byte) card.priority()}));
    }

    public static byte[] lastBlock(SimCard card, IssuerMasterKeys keys) {
        byte[] serial = card.serial();
        return concat(
                dgi(Wire.DGI_PURCHASE_KEY, keyValue(keys.purchaseKey(serial))),
                dgi(Wire.DGI_LOAD_KEY, keyValue(keys.loadKey(serial))),
                dgi(Wire.DGI_TAC_KEY, keyValue(keys.tacKey(serial))));
    }

    /** 9F0C: issuer ID (8) | type 02 | version | serial (10) | start (4) | expiry (4) | currency (2). */
    public static byte[] issuerData(SimCard card) {
        return concat(ISSUER_ID, new byte[] {Wire.APPLICATION_TYPE_EP, APPLICATION_VERSION}, card.serial(),
                Bytes.bcd(START_DATE), Bytes.bcd(EXPIRY_DATE), currency(card));
    }

    /** ISO 4217 numeric code as n3 in two bytes: CNY 156 -> 01 56. */
    public static byte[] currency(SimCard card) {
        return Bytes.bcd(String.format("%04d", card.currency().getNumericCode()));
    }

    public static byte[] dgi(short tag, byte[] value) {
        return concat(new byte[] {(byte) (tag >> 8), (byte) tag, (byte) value.length}, value);
    }

    private static byte[] keyValue(byte[] key) {
        return concat(new byte[] {Wire.KEY_INDEX, KEY_VERSION, Wire.ALGORITHM_DES}, key);
    }
}
