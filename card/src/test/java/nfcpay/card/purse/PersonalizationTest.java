package nfcpay.card.purse;

import static nfcpay.card.purse.PurseCard.HEX;
import static nfcpay.card.purse.PurseCard.concat;
import static nfcpay.card.purse.PurseCard.dgi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import javacard.framework.SystemException;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SELECT and STORE DATA personalization (PROTOCOL.md 3.1, docs/protocol.md 3.1 and 3.3). */
class PersonalizationTest {

    private static final byte[] KEY = HEX.parseHex("00112233445566778899AABBCCDDEEFF");

    private final PurseCard card = PurseCard.install(new CardSimulator());

    @Test
    void selectBeforePersonalizationAnswersTheDfNameOnly() {
        ResponseAPDU r = card.select();
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(r.getData())).isEqualTo("6F0A8408" + PurseCard.DEFAULT_AID);
    }

    @Test
    void selectAfterPersonalizationCarriesLabelPriorityAndIssuerData() {
        card.personalize();
        ResponseAPDU r = card.select();
        assertThat(r.getSW()).isEqualTo(0x9000);
        String label = HEX.formatHex(PurseCard.LABEL.getBytes(StandardCharsets.US_ASCII));
        String issuer = HEX.formatHex(PurseCard.issuerData(PurseCard.START_DATE, PurseCard.EXPIRY_DATE, PurseCard.CURRENCY));
        assertThat(HEX.formatHex(r.getData())).isEqualTo(
                "6F3B" + "8408" + PurseCard.DEFAULT_AID
                        + "A52F" + "5009" + label + "870101" + "9F0C1E" + issuer);
    }

    @Test
    void installWithoutParametersIsRefusedForWantOfAPersonalizationKey() {
        CardSimulator sim = new CardSimulator();
        assertThatThrownBy(() -> sim.installApplet(AIDUtil.create("F000000824010102"), PurseApplet.class))
                .isInstanceOf(SystemException.class);
    }

    @Test
    void anInstanceWithoutItsOwnAidInTheInstallDataUsesTheOneItIsCreatedUnder() {
        CardSimulator sim = new CardSimulator();
        byte[] params = PurseCard.applicationParameters(PurseCard.persoKey(), new byte[0]);
        byte[] data = PurseCard.concat(new byte[] {0, 0, (byte) params.length}, params);
        sim.installApplet(AIDUtil.create("F000000824010102"), PurseApplet.class, data, (short) 0, (byte) data.length);
        assertThat(HEX.formatHex(sim.selectAppletWithResult(AIDUtil.create("F000000824010102"))))
                .isEqualTo("6F0A8408F0000008240101029000");
    }

    @Test
    void anUnpersonalizedPurseRefusesMoneyAndHasNothingToShow() {
        card.select();
        assertThat(card.getBalanceCommand().getSW()).isEqualTo(0x6985);
        assertThat(card.initializePurchase(1).sw()).isEqualTo(0x6985);
        assertThat(card.initializeLoad(1).sw()).isEqualTo(0x6985);
        assertThat(card.readRecord(1).getSW()).isEqualTo(0x6A83);
        assertThat(card.getTransactionProve(Wire.TRANSACTION_PURCHASE, 0).getSW()).isEqualTo(0x9406);
        assertThat(card.getTransactionProve(Wire.TRANSACTION_LOAD, 0).getSW()).isEqualTo(0x9406);
    }

    @Test
    void personalizationStartsAtBalanceZeroAndCountersZero() {
        card.personalize();
        assertThat(card.balance()).isZero();
        assertThat(card.initializeLoad(1).counter()).isZero();
        card.load(5);
        assertThat(card.initializePurchase(1).counter()).isZero();
    }

    @Test
    void dgisMaySpreadOverNumberedBlocksAndTheLastValueWins() {
        card.select();
        byte[] all = card.dgis();
        assertThat(card.storeData(0x00, 0x00, dgi(Wire.DGI_LABEL, ascii("First"))).getSW()).isEqualTo(0x9000);
        assertThat(card.storeData(0x00, 0x01, all).getSW()).isEqualTo(0x9000);
        assertThat(card.storeData(0x80, 0x02, dgi(Wire.DGI_LABEL, ascii("Second"))).getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(card.select().getData())).contains("5006" + HEX.formatHex(ascii("Second")));
        assertThat(card.balance()).isZero();
    }

    @Test
    void theLastBlockNeedsEveryDgiElseThePurseStaysUnpersonalized() {
        card.select();
        byte[] withoutTacKey = withoutDgi(card.dgis(), Wire.DGI_TAC_KEY);
        assertThat(card.storeData(0x80, 0x00, withoutTacKey).getSW()).isEqualTo(0x6985);
        assertThat(card.getBalanceCommand().getSW()).isEqualTo(0x6985);
        // The refusal ended that session; a new one starts from nothing, so the TAC key alone is not enough.
        assertThat(card.storeData(0x80, 0x00, dgi(Wire.DGI_TAC_KEY, PurseCard.keyValue(KEY))).getSW()).isEqualTo(0x6985);
        assertThat(card.storeData(0x80, 0x00, card.dgis()).getSW()).isEqualTo(0x9000);
        assertThat(card.balance()).isZero();
    }

    @Test
    void aRejectedBlockStoresNoneOfItsDgis() {
        card.select();
        byte[] block = concat(dgi(Wire.DGI_ISSUER_DATA, PurseCard.issuerData("20250101", "20301231", "0156")),
                dgi(Wire.DGI_MAX_BALANCE, new byte[3]));
        assertThat(card.storeData(0x00, 0x00, block).getSW()).isEqualTo(0x6A80);
        // 0101 came in the rejected block only, so the purse still lacks it.
        assertThat(card.storeData(0x80, 0x00, withoutDgi(card.dgis(), Wire.DGI_ISSUER_DATA)).getSW()).isEqualTo(0x6985);
    }

    static Stream<Arguments> badDgis() {
        byte[] issuer = PurseCard.issuerData("20250101", "20301231", "0156");
        byte[] notEp = issuer.clone();
        notEp[Wire.ISSUER_DATA_OFFSET_TYPE] = 0x01;
        byte[] key = PurseCard.keyValue(KEY);
        byte[] keyIndex2 = key.clone();
        keyIndex2[0] = 0x02;
        byte[] algorithm1 = key.clone();
        algorithm1[2] = 0x01;
        Stream.Builder<Arguments> b = Stream.builder();
        b.add(Arguments.of("one byte", HEX.parseHex("01"), 0x6A80));
        b.add(Arguments.of("tag without length", HEX.parseHex("0102"), 0x6A80));
        b.add(Arguments.of("length past the data", HEX.parseHex("01020500000001"), 0x6A80));
        b.add(Arguments.of("second DGI past the data", concat(dgi(0x0104, new byte[] {1}), HEX.parseHex("010310414243")), 0x6A80));
        b.add(Arguments.of("three-byte length form", concat(HEX.parseHex("0101FF001E"), issuer), 0x6A80));
        b.add(Arguments.of("unknown DGI", dgi(0x9F01, new byte[] {0}), 0x6A88));
        b.add(Arguments.of("unknown DGI 0105", dgi(0x0105, new byte[] {0}), 0x6A88));
        b.add(Arguments.of("0101 too short", dgi(0x0101, java.util.Arrays.copyOf(issuer, 29)), 0x6A80));
        b.add(Arguments.of("0101 too long", dgi(0x0101, java.util.Arrays.copyOf(issuer, 31)), 0x6A80));
        b.add(Arguments.of("0101 not an EP", dgi(0x0101, notEp), 0x6A80));
        b.add(Arguments.of("0102 three bytes", dgi(0x0102, new byte[3]), 0x6A80));
        b.add(Arguments.of("0102 five bytes", dgi(0x0102, new byte[5]), 0x6A80));
        b.add(Arguments.of("0103 empty", dgi(0x0103, new byte[0]), 0x6A80));
        b.add(Arguments.of("0103 seventeen bytes", dgi(0x0103, ascii("ABCDEFGHIJKLMNOPQ")), 0x6A80));
        b.add(Arguments.of("0103 control character", dgi(0x0103, new byte[] {'A', 0x07}), 0x6A80));
        b.add(Arguments.of("0103 eight-bit character", dgi(0x0103, new byte[] {'A', (byte) 0xC3}), 0x6A80));
        b.add(Arguments.of("0103 DEL", dgi(0x0103, new byte[] {0x7F}), 0x6A80));
        b.add(Arguments.of("0104 two bytes", dgi(0x0104, new byte[] {1, 1}), 0x6A80));
        b.add(Arguments.of("0104 priority 0", dgi(0x0104, new byte[] {0}), 0x6A80));
        b.add(Arguments.of("0104 priority 16", dgi(0x0104, new byte[] {16}), 0x6A80));
        b.add(Arguments.of("0104 priority 80", dgi(0x0104, new byte[] {(byte) 0x80}), 0x6A80));
        for (int tag : new int[] {0x8101, 0x8102, 0x8103}) {
            String t = Integer.toHexString(tag);
            b.add(Arguments.of(t + " 18 bytes", dgi(tag, java.util.Arrays.copyOf(key, 18)), 0x6A80));
            b.add(Arguments.of(t + " 20 bytes", dgi(tag, java.util.Arrays.copyOf(key, 20)), 0x6A80));
            b.add(Arguments.of(t + " key index 02", dgi(tag, keyIndex2), 0x6A80));
            b.add(Arguments.of(t + " algorithm 01", dgi(tag, algorithm1), 0x6A80));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDgis")
    void everyBadDgiHasItsStatusWordAndLeavesThePurseUnpersonalized(String what, byte[] data, int sw) {
        card.select();
        assertThat(card.storeData(0x80, 0x00, data).getSW()).isEqualTo(sw);
        assertThat(card.getBalanceCommand().getSW()).isEqualTo(0x6985);
        assertThat(card.storeData(0x80, 0x00, card.dgis()).getSW()).isEqualTo(0x9000);
    }

    @Test
    void blockNumbersStartAtZeroAndCountUpWithinASessionAndAWrongOneEndsIt() {
        card.select();
        byte[] label = dgi(Wire.DGI_LABEL, ascii("X"));
        assertThat(card.storeData(0x00, 0x01, label).getSW()).isEqualTo(0x6A86);
        // The fixture opens a new session for each of these, the card having ended the one before.
        assertThat(card.storeData(0x00, 0x00, label).getSW()).isEqualTo(0x9000);
        assertThat(card.storeData(0x00, 0x01, label).getSW()).isEqualTo(0x9000);
        assertThat(card.storeData(0x00, 0x01, label).getSW()).isEqualTo(0x6A86);
        // ... and the block after the refusal is out of any session, even with the right number and C-MAC chain.
        assertThat(card.storeData(0x00, 0x00, label).getSW()).isEqualTo(0x9000);
        assertThat(card.storeData(0x00, 0x02, label).getSW()).isEqualTo(0x6A86);
        card.select();
        assertThat(card.storeData(0x80, 0x00, card.dgis()).getSW()).isEqualTo(0x9000);
    }

    @Test
    void storeDataP1AllowsOnlyTheLastBlockBit() {
        card.select();
        for (int p1 : new int[] {0x01, 0x08, 0x20, 0x40, 0x60, 0x68, 0x81, 0xC0, 0xA9}) {
            assertThat(card.storeData(p1, 0x00, card.dgis()).getSW()).as("P1 %02X", p1).isEqualTo(0x6A86);
        }
        assertThat(card.getBalanceCommand().getSW()).isEqualTo(0x6985);
    }

    @Test
    void storeDataWithoutDataIsWrongLength() {
        card.select();
        assertThat(card.initializePersonalization().getSW()).isEqualTo(0x9000);
        assertThat(card.send(0x84, 0xE2, 0xA8, 0x00, 0).getSW()).isEqualTo(0x6700);
        assertThat(card.initializePersonalization().getSW()).isEqualTo(0x9000);
        assertThat(card.send(0x84, 0xE2, 0xA8, 0x00, 256).getSW()).isEqualTo(0x6700);
        assertThat(card.initializePersonalization().getSW()).isEqualTo(0x9000);
        assertThat(card.send(0x84, 0xE2, 0xA8, 0x00, new byte[8], 0).getSW()).as("a C-MAC and no data").isEqualTo(0x6700);
    }

    @Test
    void storeDataAfterPersonalizationIsRefused() {
        card.personalize();
        assertThat(card.storeData(0x80, 0x00, card.dgis()).getSW()).as("INITIALIZE PERSONALIZATION").isEqualTo(0x6985);
        assertThat(card.send(0x84, 0xE2, 0xA8, 0x00, new byte[16], 0).getSW()).isEqualTo(0x6985);
        card.select();
        assertThat(card.storeData(0x80, 0x00, card.dgis()).getSW()).isEqualTo(0x6985);
        assertThat(card.storeData(0x00, 0x00, dgi(Wire.DGI_LABEL, ascii("Other"))).getSW()).isEqualTo(0x6985);
        assertThat(HEX.formatHex(card.select().getData())).contains("5009" + HEX.formatHex(ascii(PurseCard.LABEL)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The DGI sequence without the DGI {@code tag} (all DGIs here use the 1-byte length). */
    private static byte[] withoutDgi(byte[] dgis, int tag) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int off = 0; off < dgis.length; ) {
            int len = 3 + (dgis[off + 2] & 0xFF);
            if (((dgis[off] & 0xFF) << 8 | (dgis[off + 1] & 0xFF)) != (tag & 0xFFFF)) {
                out.write(dgis, off, len);
            }
            off += len;
        }
        return out.toByteArray();
    }
}
