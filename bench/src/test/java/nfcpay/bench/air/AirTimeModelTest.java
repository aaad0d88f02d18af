package nfcpay.bench.air;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HexFormat;
import java.util.List;
import nfcpay.bench.air.AirTimeModel.Frame;
import nfcpay.bench.air.AirTimeModel.Sender;
import org.junit.jupiter.api.Test;

class AirTimeModelTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final AirTimeModel model = AirTimeModel.standard();

    @Test
    void crcAMatchesTheStandardsExamplesAndKnownFrames() {
        assertThat(HEX.formatHex(CrcA.of(HEX.parseHex("0000")))).isEqualTo("A01E"); // ISO/IEC 14443-3 Annex B
        assertThat(HEX.formatHex(CrcA.of(HEX.parseHex("1234")))).isEqualTo("26CF"); // ISO/IEC 14443-3 Annex B
        assertThat(HEX.formatHex(CrcA.of(HEX.parseHex("5000")))).isEqualTo("57CD"); // HLTA
        assertThat(HEX.formatHex(CrcA.of(HEX.parseHex("E080")))).isEqualTo("3173"); // RATS, FSDI 8, CID 0
    }

    /**
     * SELECT PPSE (20 bytes) answered 9000, by hand: the reader's I-block is PCB 02 + 20 + CRC = 23
     * bytes = 1 + 23 * 9 + 1 = 209 bits; the card's is 02 90 00 + CRC = 5 bytes = 47 bits. At 106
     * kbit/s: (209 * 128 + 1236 + 47 * 128 + 1172) / 13.56 = 35176 / 13.56 = 2594.10 us.
     */
    @Test
    void oneExchangeByHand() {
        byte[] command = HEX.parseHex("00A404000E325041592E5359532E444446303100");
        List<Frame> frames = model.frames(command, HEX.parseHex("9000"), 0);
        assertThat(frames).hasSize(2);
        Frame reader = frames.get(0);
        Frame card = frames.get(1);
        assertThat(reader.sender()).isEqualTo(Sender.READER);
        assertThat(reader.bytes()).hasSize(23);
        assertThat(HEX.formatHex(reader.bytes(), 0, 21)).isEqualTo("02" + HEX.formatHex(command));
        assertThat(HEX.formatHex(reader.bytes(), 21, 23)).isEqualTo(HEX.formatHex(CrcA.of(reader.bytes(), 0, 21)));
        assertThat(reader.bits()).isEqualTo(209);
        assertThat(HEX.formatHex(card.bytes(), 0, 3)).isEqualTo("029000");
        assertThat(card.bits()).isEqualTo(47);

        assertThat(model.micros(frames, BitRate.KBPS_106)).isCloseTo(2594.10, within(0.01));
        // 424 kbit/s: (209 * 32 + 1236 + 47 * 32 + 1172) / 13.56 = 10600 / 13.56
        assertThat(model.micros(frames, BitRate.KBPS_424)).isCloseTo(781.71, within(0.01));
        assertThat(model.exchangeMicros(20, 2, BitRate.KBPS_106)).isCloseTo(2594.10, within(0.01));
        assertThat(BitRate.KBPS_106.bitMicros()).isCloseTo(9.4395, within(0.0001));
    }

    /**
     * A 258-byte response (256 data + 61xx) with FSD 256 is chained: 253 bytes of INF fit a block
     * (256 - PCB - CRC). Frames: reader I(0) 8 bytes, card I(0) chaining (PCB 12) 256 bytes,
     * reader R(ACK)(1) (PCB A3) 3 bytes, card I(1) (PCB 03) 8 bytes:
     * ((74 + 2306 + 29 + 74) * 128 + 2 * 1236 + 2 * 1172) / 13.56 = 322640 / 13.56 us.
     */
    @Test
    void aLongResponseIsChainedAndAcknowledged() {
        List<Frame> frames = model.frames(new byte[5], new byte[258], 0);
        assertThat(frames).extracting(f -> f.bytes().length).containsExactly(8, 256, 3, 8);
        assertThat(frames).extracting(Frame::sender).containsExactly(Sender.READER, Sender.CARD, Sender.READER, Sender.CARD);
        assertThat(frames).extracting(f -> f.bytes()[0] & 0xFF).containsExactly(0x02, 0x12, 0xA3, 0x03);
        assertThat(model.micros(frames, BitRate.KBPS_106)).isCloseTo(322_640 / 13.56, within(0.01));
        assertThat(model.exchangeFrames(5, 258)).isEqualTo(4);
    }

    @Test
    void aLongCommandIsChainedTowardsTheCardsFrameSize() {
        AirTimeModel small = new AirTimeModel(new AirTimeModel.Link(64, 256, false, false, 1236, 1172, 4));
        List<Frame> frames = small.frames(new byte[70], new byte[2], 1);
        // FSC 64: 61 bytes of INF per block, then 9; the card's R(ACK)(1) in between
        assertThat(frames).extracting(f -> f.bytes().length).containsExactly(64, 3, 12, 5);
        assertThat(frames).extracting(f -> f.bytes()[0] & 0xFF).containsExactly(0x13, 0xA3, 0x02, 0x02);
    }

    @Test
    void cidAndNadAddOneByteEachToEveryIBlock() {
        AirTimeModel withCid = new AirTimeModel(new AirTimeModel.Link(256, 256, true, true, 1236, 1172, 4));
        List<Frame> frames = withCid.frames(new byte[20], new byte[2], 0);
        assertThat(frames.get(0).bytes()).hasSize(25);
        assertThat(frames.get(0).bytes()[0] & 0xFF).isEqualTo(0x0E);
    }

    @Test
    void higherBitRatesAreFasterButNotProportionallySoAndActivationIsCounted() {
        double at106 = model.exchangeMicros(21, 26, BitRate.KBPS_106);
        double at212 = model.exchangeMicros(21, 26, BitRate.KBPS_212);
        double at424 = model.exchangeMicros(21, 26, BitRate.KBPS_424);
        assertThat(at212).isLessThan(at106).isGreaterThan(at106 / 2);
        assertThat(at424).isLessThan(at212).isGreaterThan(at212 / 2);
        assertThat(model.activationMicros(BitRate.KBPS_106)).isBetween(2_000.0, 6_000.0);
        assertThat(model.activationMicros(BitRate.KBPS_424)).isGreaterThan(model.activationMicros(BitRate.KBPS_106) - 300);
        assertThat(model.link().fwtMillis()).isCloseTo(4.833, within(0.001));
    }
}
