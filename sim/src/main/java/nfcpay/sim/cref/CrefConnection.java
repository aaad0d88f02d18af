package nfcpay.sim.cref;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The card end of the reference VM's TCP socket, as the Java Card RI's {@code apdutool} speaks it to {@code cref}
 * (learned from its traffic; no code of the SDK is used).
 *
 * <p>Every message both ways is a frame {@code type | length (2 bytes, big-endian) | payload | check}, the check
 * being the XOR of all bytes before it. The host sends {@value #POWER_UP_HEX} power up (answered by a frame whose
 * payload is the ATR), {@value #POWER_DOWN_HEX} power down (not answered: cref saves its EEPROM file and exits) and
 * {@value #BLOCK_HEX} a T=1 block (ISO/IEC 7816-3 11.3: {@code NAD PCB LEN INF LRC}), answered by a T=1 block.
 * The card's ATR {@code 3B F0 11 00 FF 01} has no TA3, so both sides use the default IFS of 32 bytes: a longer
 * C-APDU goes as a chain of I-blocks, each acknowledged by an R-block, and a longer R-APDU comes as a chain that
 * the host acknowledges. A waiting-time extension request (S-block WTX) is answered and the wait goes on.
 *
 * <p>Every read is bounded by the timeout given at construction: a card that does not answer is an
 * {@link IOException} saying so, never a hang. Not thread-safe: one APDU at a time, as on a card.
 */
final class CrefConnection implements AutoCloseable {

    static final String POWER_UP_HEX = "F0";
    static final String POWER_DOWN_HEX = "E0";
    static final String BLOCK_HEX = "80";
    private static final int POWER_UP = 0xF0;
    private static final int POWER_DOWN = 0xE0;
    private static final int BLOCK = 0x80;

    /** ISO/IEC 7816-3 11.4.2: the information field size when the ATR gives none. */
    static final int IFS = 32;
    private static final int NAD = 0x00;
    private static final int PCB_R_BLOCK = 0x80;
    private static final int PCB_S_BLOCK = 0xC0;
    private static final int PCB_MORE = 0x20;
    private static final int S_RESPONSE = 0x20;
    private static final int S_WTX = 0x03;
    /** Bounds the loops of one exchange against a card that keeps asking for more time or chaining forever. */
    private static final int MAX_BLOCKS_PER_APDU = 4096;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** N(S) of the next I-block the host sends; both counters start at 0 after power up. */
    private int hostSequence;
    /** N(S) the card's next I-block must carry. */
    private int cardSequence;
    private boolean powered;

    /** Takes over {@code socket}, already connected to cref; every read waits at most {@code timeout}. */
    CrefConnection(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Powers the card up and returns its ATR. */
    byte[] powerUp() throws IOException {
        writeFrame(POWER_UP, new byte[0]);
        byte[] atr = readFrame("the ATR after power up");
        hostSequence = 0;
        cardSequence = 0;
        powered = true;
        return atr;
    }

    /** Powers the card down; cref then writes its EEPROM file and exits. Nothing is answered. */
    void powerDown() throws IOException {
        powered = false;
        writeFrame(POWER_DOWN, new byte[0]);
    }

    boolean isPowered() {
        return powered;
    }

    /** Sends one C-APDU (short or extended, as encoded) and returns the R-APDU, status word included. */
    byte[] transmit(byte[] command) throws IOException {
        if (!powered) {
            throw new IllegalStateException("the card is not powered up");
        }
        int blocks = 0;
        int offset = 0;
        byte[] reply;
        // Send the command, IFS bytes a block; every block but the last asks for an acknowledgement.
        while (true) {
            int length = Math.min(IFS, command.length - offset);
            boolean more = offset + length < command.length;
            byte[] inf = Arrays.copyOfRange(command, offset, offset + length);
            reply = exchange(iBlockPcb(more), inf, ++blocks);
            if (!more) {
                break;
            }
            int pcb = reply[1] & 0xFF;
            if ((pcb & 0xC0) != PCB_R_BLOCK || ((pcb >> 4) & 1) != hostSequence) {
                throw new IOException("cref did not acknowledge a chained command block: got " + hex(reply));
            }
            offset += length;
        }
        // Collect the answer, acknowledging every chained block.
        byte[] response = new byte[0];
        while (true) {
            int pcb = reply[1] & 0xFF;
            if ((pcb & 0x80) != 0) {
                throw new IOException("cref answered with a " + ((pcb & 0xC0) == PCB_R_BLOCK ? "R" : "S")
                        + "-block where an I-block was due: " + hex(reply));
            }
            if (((pcb >> 6) & 1) != cardSequence) {
                throw new IOException("cref's I-block is out of sequence: " + hex(reply));
            }
            cardSequence ^= 1;
            int length = reply[2] & 0xFF;
            byte[] joined = Arrays.copyOf(response, response.length + length);
            System.arraycopy(reply, 3, joined, response.length, length);
            response = joined;
            if ((pcb & PCB_MORE) == 0) {
                break;
            }
            reply = exchange(PCB_R_BLOCK | (cardSequence << 4), new byte[0], ++blocks);
        }
        if (response.length < 2) {
            throw new IOException("cref answered without a status word: " + hex(response));
        }
        return response;
    }

    private int iBlockPcb(boolean more) {
        int pcb = (hostSequence << 6) | (more ? PCB_MORE : 0);
        hostSequence ^= 1;
        return pcb;
    }

    /** Sends one block and returns the card's next block that is not a WTX request, checked. */
    private byte[] exchange(int pcb, byte[] inf, int blocks) throws IOException {
        if (blocks > MAX_BLOCKS_PER_APDU) {
            throw new IOException("cref exchanged more than " + MAX_BLOCKS_PER_APDU + " blocks for one APDU");
        }
        sendBlock(pcb, inf);
        for (int requests = 0; ; requests++) {
            byte[] block = readBlock();
            int answerPcb = block[1] & 0xFF;
            if ((answerPcb & 0xE0) != PCB_S_BLOCK || (answerPcb & 0x1F) != S_WTX) {
                return block;
            }
            if (requests >= MAX_BLOCKS_PER_APDU) {
                throw new IOException("cref asked for more waiting time " + requests + " times in a row");
            }
            // S(WTX request): grant it by echoing its INF in the response, then keep waiting.
            sendBlock(PCB_S_BLOCK | S_RESPONSE | S_WTX, Arrays.copyOfRange(block, 3, 3 + (block[2] & 0xFF)));
        }
    }

    private void sendBlock(int pcb, byte[] inf) throws IOException {
        byte[] block = new byte[4 + inf.length];
        block[0] = NAD;
        block[1] = (byte) pcb;
        block[2] = (byte) inf.length;
        System.arraycopy(inf, 0, block, 3, inf.length);
        block[block.length - 1] = xor(block, block.length - 1);
        writeFrame(BLOCK, block);
    }

    private byte[] readBlock() throws IOException {
        byte[] block = readFrame("a T=1 block");
        if (block.length < 4 || (block[2] & 0xFF) != block.length - 4) {
            throw new IOException("cref sent a malformed T=1 block: " + hex(block));
        }
        if (xor(block, block.length - 1) != block[block.length - 1]) {
            throw new IOException("cref sent a T=1 block with a wrong LRC: " + hex(block));
        }
        return block;
    }

    private void writeFrame(int type, byte[] payload) throws IOException {
        byte[] frame = new byte[4 + payload.length];
        frame[0] = (byte) type;
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 3, payload.length);
        frame[frame.length - 1] = xor(frame, frame.length - 1);
        out.write(frame);
        out.flush();
    }

    private byte[] readFrame(String what) throws IOException {
        byte[] header = readFully(3, what);
        int length = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        byte[] rest = readFully(length + 1, what);
        byte[] frame = new byte[3 + rest.length];
        System.arraycopy(header, 0, frame, 0, 3);
        System.arraycopy(rest, 0, frame, 3, rest.length);
        if (xor(frame, frame.length - 1) != frame[frame.length - 1]) {
            throw new IOException("cref sent a frame with a wrong check byte: " + hex(frame));
        }
        if ((header[0] & 0xFF) != BLOCK) {
            throw new IOException("cref sent a frame of unknown type: " + hex(frame));
        }
        return Arrays.copyOfRange(frame, 3, frame.length - 1);
    }

    private byte[] readFully(int n, String what) throws IOException {
        byte[] buffer = new byte[n];
        int read = 0;
        try {
            while (read < n) {
                int r = in.read(buffer, read, n - read);
                if (r < 0) {
                    throw new EOFException("cref closed the connection while " + what + " was due");
                }
                read += r;
            }
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("cref sent no " + what + " within " + socket.getSoTimeout() + " ms");
        }
        return buffer;
    }

    private static byte xor(byte[] bytes, int length) {
        byte x = 0;
        for (int i = 0; i < length; i++) {
            x ^= bytes[i];
        }
        return x;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    @Override
    public void close() throws IOException {
        powered = false;
        socket.close();
    }
}
