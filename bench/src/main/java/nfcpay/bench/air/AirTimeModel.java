package nfcpay.bench.air;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Modelled air time of APDU exchanges over ISO/IEC 14443-4 (ISO-DEP) on a Type A link: what the
 * transaction costs on the radio, not in this process. A lower bound: it counts the frames and
 * the minimum turnaround times and nothing for the card's computation (see docs/benchmarks.md).
 *
 * <ul>
 *   <li>Frame (14443-3 standard frame): start of communication (1 bit), every byte as 8 data bits
 *       plus an odd parity bit, end of communication (1 bit). One bit lasts 128/fc at 106 kbit/s,
 *       64/fc at 212, 32/fc at 424 (fc = 13.56 MHz); the same frame format at every rate.</li>
 *   <li>Block (14443-4): I-block = PCB (1) [CID (1)] [NAD (1)] INF CRC_A (2); R(ACK) = PCB [CID] CRC_A.
 *       No CID and no NAD by default (one card in the field, as EMV contactless readers do).</li>
 *   <li>Chaining: a command longer than FSC minus the block overhead goes in chained I-blocks,
 *       each acknowledged by an R(ACK) from the card; a response longer than FSD minus the
 *       overhead comes back chained, each part acknowledged by the reader. FSC = FSD = 256
 *       by default (FSCI = FSDI = 8, the PBOC/EMV reader minimum).</li>
 *   <li>Frame delay time: 1236/fc from the end of a reader frame to the card's answer (14443-3,
 *       n = 9, last bit 1) and 1172/fc from the end of a card frame to the reader's next frame,
 *       both counted in carrier cycles at every rate. The card may take up to FWT (FWI 4:
 *       4.8 ms) per block; that time, and S(WTX), are not counted.</li>
 * </ul>
 */
public final class AirTimeModel {

    /** Carrier frequency in MHz: cycles per microsecond. */
    public static final double FC_MHZ = 13.56;

    /** ISO 14443-4 blocks: PCB values (b2 toggles the block number, b5 marks chaining). */
    static final int PCB_I_BLOCK = 0x02;
    static final int PCB_CHAINING = 0x10;
    static final int PCB_CID_FOLLOWS = 0x08;
    static final int PCB_NAD_FOLLOWS = 0x04;
    static final int PCB_R_ACK = 0xA2;

    /**
     * The link parameters.
     *
     * @param fsc the largest frame the card accepts (from FSCI of the ATS)
     * @param fsd the largest frame the reader accepts (from FSDI of RATS)
     * @param cid whether blocks carry a CID byte
     * @param nad whether I-blocks carry a NAD byte
     * @param fdtReaderToCardCycles carrier cycles between a reader frame and the card's answer
     * @param fdtCardToReaderCycles carrier cycles between a card frame and the reader's next frame
     * @param fwi frame waiting time integer (FWT = 256 * 16 * 2^FWI / fc), reported, not counted
     */
    public record Link(int fsc, int fsd, boolean cid, boolean nad, int fdtReaderToCardCycles, int fdtCardToReaderCycles,
            int fwi) {

        public static final Link DEFAULT = new Link(256, 256, false, false, 1236, 1172, 4);

        public Link {
            if (fsc < 16 || fsd < 16 || fsc > 4096 || fsd > 4096) {
                throw new IllegalArgumentException("FSC and FSD are 16..4096 bytes");
            }
        }

        int blockOverhead(boolean withNad) {
            return 1 + (cid ? 1 : 0) + (withNad && nad ? 1 : 0) + 2;
        }

        int ackLength() {
            return 1 + (cid ? 1 : 0) + 2;
        }

        public double fwtMillis() {
            return 256.0 * 16 * (1 << fwi) / FC_MHZ / 1000.0;
        }
    }

    /** Who sends a frame. */
    public enum Sender { READER, CARD }

    /**
     * One frame on the air.
     *
     * @param sender who sends it
     * @param bytes the frame as sent: block header, INF, CRC_A
     */
    public record Frame(Sender sender, byte[] bytes) {

        /** Bits on the air: SOF, 9 per byte (8 data + odd parity), EOF. */
        public int bits() {
            return 1 + 9 * bytes.length + 1;
        }
    }

    private final Link link;
    private final Map<Long, double[]> exchangeCache = new ConcurrentHashMap<>();

    public AirTimeModel(Link link) {
        this.link = link;
    }

    public static AirTimeModel standard() {
        return new AirTimeModel(Link.DEFAULT);
    }

    public Link link() {
        return link;
    }

    /**
     * The frames of one APDU exchange, command first, with block numbers starting at
     * {@code blockNumber} (0 or 1) on both sides as after activation.
     */
    public List<Frame> frames(byte[] command, byte[] response, int blockNumber) {
        List<Frame> frames = new ArrayList<>();
        int readerBlock = blockNumber & 1;
        int cardBlock = blockNumber & 1;
        int commandRoom = link.fsc() - link.blockOverhead(true);
        for (int off = 0; off < command.length || off == 0; off += commandRoom) {
            int len = Math.min(commandRoom, command.length - off);
            boolean more = off + len < command.length;
            frames.add(new Frame(Sender.READER, iBlock(readerBlock, more, command, off, len)));
            readerBlock ^= 1;
            if (!more) {
                break;
            }
            frames.add(new Frame(Sender.CARD, rAck(cardBlock)));
            cardBlock ^= 1;
        }
        int responseRoom = link.fsd() - link.blockOverhead(true);
        for (int off = 0; off < response.length || off == 0; off += responseRoom) {
            int len = Math.min(responseRoom, response.length - off);
            boolean more = off + len < response.length;
            frames.add(new Frame(Sender.CARD, iBlock(cardBlock, more, response, off, len)));
            cardBlock ^= 1;
            if (!more) {
                break;
            }
            frames.add(new Frame(Sender.READER, rAck(readerBlock)));
            readerBlock ^= 1;
        }
        return frames;
    }

    /** Air time of a sequence of frames: each frame, then the frame delay time before the next sender's frame. */
    public double micros(List<Frame> frames, BitRate rate) {
        double cycles = 0;
        for (Frame f : frames) {
            cycles += (double) f.bits() * rate.etuCycles();
            cycles += f.sender() == Sender.READER ? link.fdtReaderToCardCycles() : link.fdtCardToReaderCycles();
        }
        return cycles / FC_MHZ;
    }

    /**
     * Air time of one APDU exchange of these lengths (command APDU bytes, response APDU bytes with
     * SW1 SW2), from the start of the command's first frame to the moment the reader may send the
     * next command. Depends on the lengths only.
     */
    public double exchangeMicros(int commandLength, int responseLength, BitRate rate) {
        double[] perRate = exchangeCache.computeIfAbsent(((long) commandLength << 32) | responseLength, key -> {
            List<Frame> frames = frames(new byte[commandLength], new byte[responseLength], 0);
            double[] micros = new double[BitRate.values().length];
            for (BitRate r : BitRate.values()) {
                micros[r.ordinal()] = micros(frames, r);
            }
            return micros;
        });
        return perRate[rate.ordinal()];
    }

    /** Number of frames of one exchange (blocks and acknowledgements). */
    public int exchangeFrames(int commandLength, int responseLength) {
        return frames(new byte[commandLength], new byte[responseLength], 0).size();
    }

    private byte[] iBlock(int blockNumber, boolean chaining, byte[] data, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pcb = PCB_I_BLOCK | blockNumber | (chaining ? PCB_CHAINING : 0) | (link.cid() ? PCB_CID_FOLLOWS : 0)
                | (link.nad() ? PCB_NAD_FOLLOWS : 0);
        out.write(pcb);
        if (link.cid()) {
            out.write(0x00);
        }
        if (link.nad()) {
            out.write(0x00);
        }
        out.write(data, off, Math.max(0, len));
        return withCrc(out.toByteArray());
    }

    private byte[] rAck(int blockNumber) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(PCB_R_ACK | blockNumber | (link.cid() ? PCB_CID_FOLLOWS : 0));
        if (link.cid()) {
            out.write(0x00);
        }
        return withCrc(out.toByteArray());
    }

    static byte[] withCrc(byte[] block) {
        byte[] crc = CrcA.of(block);
        byte[] frame = new byte[block.length + 2];
        System.arraycopy(block, 0, frame, 0, block.length);
        frame[block.length] = crc[0];
        frame[block.length + 1] = crc[1];
        return frame;
    }

    /**
     * Air time of card activation and removal, the same on every tap and for every strategy:
     * REQA (short frame, 7 bits), ATQA, ANTICOLLISION and SELECT of cascade level 1 (a phone's
     * random 4-byte UID), SAK, RATS, a 5-byte ATS, then at 212/424 kbit/s a PPS exchange (still at
     * 106), and S(DESELECT) at the end. Polling before the phone is found is not counted.
     */
    public double activationMicros(BitRate rate) {
        double cycles = 0;
        int r2c = link.fdtReaderToCardCycles();
        int c2r = link.fdtCardToReaderCycles();
        int etu106 = BitRate.KBPS_106.etuCycles();
        cycles += (1 + 7 + 1) * etu106 + r2c; // REQA, short frame
        cycles += bitsNoCrc(2) * etu106 + c2r; // ATQA
        cycles += bitsNoCrc(2) * etu106 + r2c; // 93 20
        cycles += bitsNoCrc(5) * etu106 + c2r; // UID CL1 + BCC
        cycles += bitsNoCrc(7 + 2) * etu106 + r2c; // SELECT 93 70 UID BCC CRC_A
        cycles += bitsNoCrc(1 + 2) * etu106 + c2r; // SAK CRC_A
        cycles += bitsNoCrc(2 + 2) * etu106 + r2c; // RATS E0 80 CRC_A
        cycles += bitsNoCrc(5 + 2) * etu106 + c2r; // ATS TL T0 TA TB TC CRC_A
        if (rate != BitRate.KBPS_106) {
            cycles += bitsNoCrc(3 + 2) * etu106 + r2c; // PPS D0 11 xx CRC_A
            cycles += bitsNoCrc(1 + 2) * etu106 + c2r; // PPS response
        }
        cycles += bitsNoCrc(link.ackLength()) * rate.etuCycles() + r2c; // S(DESELECT)
        cycles += bitsNoCrc(link.ackLength()) * rate.etuCycles() + c2r;
        return cycles / FC_MHZ;
    }

    private static int bitsNoCrc(int bytes) {
        return 1 + 9 * bytes + 1;
    }

    /** The model's parameters, for results.json. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("standard", "ISO/IEC 14443-4 (ISO-DEP) over 14443-3 Type A frames");
        m.put("carrier_mhz", FC_MHZ);
        m.put("bit_time_us", Map.of("106k", BitRate.KBPS_106.bitMicros(), "212k", BitRate.KBPS_212.bitMicros(), "424k",
                BitRate.KBPS_424.bitMicros()));
        m.put("frame", "SOF 1 bit + 9 bits per byte (8 data + odd parity) + EOF 1 bit");
        m.put("block", "I-block PCB [CID] [NAD] INF CRC_A(2); R(ACK) PCB [CID] CRC_A(2)");
        m.put("fsc", link.fsc());
        m.put("fsd", link.fsd());
        m.put("cid", link.cid());
        m.put("nad", link.nad());
        m.put("fdt_reader_to_card_cycles", link.fdtReaderToCardCycles());
        m.put("fdt_card_to_reader_cycles", link.fdtCardToReaderCycles());
        m.put("fwi", link.fwi());
        m.put("fwt_ms_not_counted", link.fwtMillis());
        m.put("card_processing_time", "not counted (lower bound)");
        Map<String, Object> activation = new LinkedHashMap<>();
        for (BitRate r : BitRate.values()) {
            activation.put(r.key(), activationMicros(r) / 1000.0);
        }
        m.put("activation_and_deselect_ms_per_tap_not_in_figures", activation);
        return m;
    }
}
