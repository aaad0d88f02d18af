package nfcpay.card.selector;

import nfcpay.card.TestAids;
import static nfcpay.card.selector.SelectorFixture.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javacard.framework.AID;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;

/** SELECT PPSE and GET RESPONSE (PROTOCOL.md 2.1, docs/protocol.md 2.2). */
class SelectorFciTest {

    private static final String PPSE_DF_NAME = "840E325041592E5359532E4444463031";
    private static final String PDOL = "9F380B9F02065F2A029C019F3704";

    @Test
    void fciOfOneApplicationIsExactlyTheContractBytes() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp("F000000824010101", "BANK A", 1, 0);
        ResponseAPDU r = card.selectPpse();
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(r.getData())).isEqualTo(
                "6F3A" + PPSE_DF_NAME + "A528" + "BF0C17" + "6115" + "4F08F000000824010101" + "500642414E4B2041" + "870101"
                        + PDOL);
    }

    @Test
    void legacyFciHasNoPdol() {
        SelectorFixture card = SelectorFixture.legacy();
        card.registeredApp("F000000824010101", "BANK A", 1, 0);
        ResponseAPDU r = card.selectPpse();
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(r.getData())).isEqualTo(
                "6F2C" + PPSE_DF_NAME + "A51A" + "BF0C17" + "6115" + "4F08F000000824010101" + "500642414E4B2041" + "870101");
    }

    @Test
    void directoryIsInAscendingPriorityWithTiesInRegistrationOrder() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp("F000000824010101", "THIRD", 3, 0);
        card.registeredApp("F000000824010102", "FIRST", 1, 0);
        card.registeredApp("F000000824010103", "SECOND-A", 2, 0);
        card.registeredApp("F000000824010104", "SECOND-B", 2, 0);
        card.registeredApp("F000000824010105", "LAST", 15, 0);

        byte[] expected = fci(true,
                entry("F000000824010102", "FIRST", 1),
                entry("F000000824010103", "SECOND-A", 2),
                entry("F000000824010104", "SECOND-B", 2),
                entry("F000000824010101", "THIRD", 3),
                entry("F000000824010105", "LAST", 15));
        assertThat(card.fci()).containsExactly(expected);
    }

    @Test
    void noRegisteredApplicationAnswers6A82AndArmsNoGpo() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.app("F000000824010101"); // installed, never registered
        ResponseAPDU r = card.selectPpse();
        assertThat(r.getSW()).isEqualTo(0x6A82);
        assertThat(r.getData()).isEmpty();
        assertThat(card.gpo(100, SelectorFixture.CNY).getSW()).isEqualTo(0x6985);
    }

    @Test
    void selectWithAnotherP2OrOnALogicalChannelIsRefused() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp("F000000824010101", "A", 1, 0);
        assertThat(card.transmit("00A4040C0E325041592E5359532E4444463031").getSW()).isEqualTo(0x6A86);
        assertThat(card.gpo(1, SelectorFixture.CNY).getSW()).isEqualTo(0x6985);
        assertThat(card.transmit("01A404000E325041592E5359532E444446303100").getSW()).isEqualTo(0x6E00);
    }

    @Test
    void sixteenLongEntriesAreChainedThroughGetResponseAndReassembleToTheWholeFci() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        List<byte[]> entries = new ArrayList<>();
        // Priorities 8, 8, 7, 7, ... 1, 1: the directory reverses the pairs and keeps each pair's order.
        for (int i = 0; i < 16; i++) {
            String aid = String.format("F0000008240101010203040506070A%02X", i);
            String label = String.format("LONG LABEL NO %02d", i);
            card.registeredApp(aid, label, 8 - i / 2, 0);
            entries.add(i % 2 == 0 ? 0 : 1, entry(aid, label, 8 - i / 2));
        }
        byte[] expected = fci(true, entries.toArray(byte[][]::new));
        assertThat(expected).hasSize(699);

        ResponseAPDU first = card.selectPpse();
        assertThat(first.getSW()).isEqualTo(0x6100);
        assertThat(first.getData()).hasSize(256);
        ResponseAPDU second = card.getResponse(0);
        assertThat(second.getSW()).isEqualTo(0x61BB);
        assertThat(second.getData()).hasSize(256);
        ResponseAPDU third = card.getResponse(0xBB);
        assertThat(third.getSW()).isEqualTo(0x9000);
        assertThat(third.getData()).hasSize(187);

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(first.getData());
        whole.writeBytes(second.getData());
        whole.writeBytes(third.getData());
        assertThat(whole.toByteArray()).containsExactly(expected);

        Tlv fci = Tlv.parse(whole.toByteArray());
        assertThat(fci.tag()).isEqualTo(0x6F);
        List<Tlv> directory = fci.child(0xA5).child(0xBF0C).children();
        assertThat(directory).hasSize(16);
        assertThat(directory.stream().map(e -> e.child(0x87).value()[0] & 0xFF).toList())
                .containsExactly(1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8);
        assertThat(directory.stream().map(e -> e.child(0x4F).value()[15] & 0xFF).toList())
                .containsExactly(14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 0, 1);
        assertThat(fci.child(0xA5).child(0x9F38).value()).containsExactly(TestAids.smartSelectionPdol());

        // Nothing left, and the chain does not break the selection's GPO.
        assertThat(card.getResponse(0).getSW()).isEqualTo(0x6985);
        assertThat(card.gpo(1, SelectorFixture.CNY).getSW()).isEqualTo(0x9401);
    }

    @Test
    void getResponseRules() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        for (int i = 0; i < 8; i++) {
            card.registeredApp(String.format("F0000008240101010203040506070A%02X", i), "SIXTEEN BYTES LB", 1, 0);
        }
        // Once the rest is fetched nothing is pending.
        assertThat(card.selectPpse().getSW1()).isEqualTo(0x61);
        assertThat(card.getResponse(0).getSW()).isEqualTo(0x9000);
        assertThat(card.getResponse(0).getSW()).isEqualTo(0x6985);
        // Wrong P1/P2, then data on a GET RESPONSE, keep the rest pending.
        assertThat(card.selectPpse().getSW()).isEqualTo(0x6100 | (8 * 41 + 4 + 16 + 4 + 5 + 14 - 256));
        assertThat(card.transmit("00C0010000").getSW()).isEqualTo(0x6A86);
        assertThat(card.transmit("00C000000100").getSW()).isEqualTo(0x6700);
        ResponseAPDU rest = card.getResponse(0);
        assertThat(rest.getSW()).isEqualTo(0x9000);
        assertThat(rest.getData()).hasSize(8 * 41 + 4 + 16 + 4 + 5 + 14 - 256);
        // Any other command in between drops what was pending (ISO 7816-4 7.6.1), even one refused.
        assertThat(card.selectPpse().getSW1()).isEqualTo(0x61);
        assertThat(card.transmit("80C0000000").getSW()).isEqualTo(0x6D00);
        assertThat(card.getResponse(0).getSW()).isEqualTo(0x6985);
        assertThat(card.selectPpse().getSW1()).isEqualTo(0x61);
        assertThat(card.transmit("80CC000000").getSW()).isEqualTo(0x6D00);
        assertThat(card.getResponse(0).getSW()).isEqualTo(0x6985);
    }

    @Test
    void aSelectForAnAidNotOnTheCardReachesThePpseAndAnswers6A82() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp("F000000824010101", "A", 1, 100);
        assertThat(card.selectPpse().getSW()).isEqualTo(0x9000);
        assertThat(card.transmit("00A4040005A00000000100").getSW()).isEqualTo(0x6A82);
        assertThat(card.transmit("80A4040005A00000000100").getSW()).isEqualTo(0x6D00);
        // It also spent the selection's GPO.
        assertThat(card.gpo(1, SelectorFixture.CNY).getSW()).isEqualTo(0x6985);
    }

    static byte[] entry(String aidHex, String label, int priority) {
        return Tlv.encode(0x61,
                Tlv.encode(0x4F, HEX.parseHex(aidHex)),
                Tlv.encode(0x50, label.getBytes(StandardCharsets.US_ASCII)),
                Tlv.encode(0x87, new byte[] {(byte) priority}));
    }

    static byte[] fci(boolean smart, byte[]... entries) {
        byte[] directory = Tlv.encode(0xBF0C, entries);
        byte[] proprietary = smart
                ? Tlv.encode(0xA5, directory, Tlv.encode(0x9F38, TestAids.smartSelectionPdol()))
                : Tlv.encode(0xA5, directory);
        return Tlv.encode(0x6F, Tlv.encode(0x84, SelectorFixture.bytes(SelectorFixture.PPSE)), proprietary);
    }

    static String hex(AID aid) {
        return HEX.formatHex(SelectorFixture.bytes(aid));
    }
}
