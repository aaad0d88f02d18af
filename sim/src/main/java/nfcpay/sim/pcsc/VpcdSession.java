package nfcpay.sim.pcsc;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * One connection to vpcd, from the card's side: reads vpcd's frames and answers them until the
 * connection ends. The vpcd protocol (vsmartcard's {@code vpcd.c}/{@code ifd.c}): every frame is a
 * 2-byte big-endian length and that many bytes; 1-byte frames are controls (00 power off, 01 power
 * on, 02 reset: no answer; 04 get ATR: answered with the ATR); longer ones are C-APDUs, answered
 * with the R-APDU. vpcd treats an empty answer as the card gone, and waits for an answer without a
 * timeout.
 */
final class VpcdSession {

    static final byte CTRL_POWER_OFF = 0x00;
    static final byte CTRL_POWER_ON = 0x01;
    static final byte CTRL_RESET = 0x02;
    static final byte CTRL_ATR = 0x04;

    /** See {@link #answerOneByteCommand}: several of pcscd's 400 ms presence polls. */
    static final Duration AMBIGUOUS_CONTROL_TIMEOUT = Duration.ofMillis(1_500);
    /** vpcd polls a connected card every 400 ms; longer silence means it never accepted us. */
    private static final int FIRST_FRAME_TIMEOUT_MILLIS = 3_000;
    private static final int MAX_FRAME = 0xFFFF;

    /** Why a connection ended, and whether vpcd ever sent a frame on it. */
    record Ending(String reason, boolean talked) {}

    private final Socket socket;
    private final ApduHandler card;
    private final Consumer<String> log;
    private final AtomicLong apdus;
    private final int ambiguousControlMillis;
    private final String where;
    private final Runnable attached;
    private final BooleanSupplier hangUp;
    private boolean quickAckSupported;

    /**
     * @param apdus counts the C-APDUs answered
     * @param where names the vpcd and reader in log lines
     * @param attached runs once, when vpcd's first frame shows it accepted the card
     * @param hangUp true when the card should leave at vpcd's next presence poll
     */
    VpcdSession(Socket socket, ApduHandler card, Consumer<String> log, AtomicLong apdus, Duration ambiguousControlTimeout,
            String where, Runnable attached, BooleanSupplier hangUp) {
        this.socket = socket;
        this.card = card;
        this.log = log;
        this.apdus = apdus;
        this.ambiguousControlMillis = (int) ambiguousControlTimeout.toMillis();
        this.where = where;
        this.attached = attached;
        this.hangUp = hangUp;
        this.quickAckSupported = socket.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
    }

    /** Serves the connection until it ends (closed by vpcd, or by the card from another thread). */
    Ending serve() {
        boolean talked = false;
        boolean warned = false;
        int pendingControl = -1; // a power control that might have been a 1-byte C-APDU
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), MAX_FRAME + 2));
            OutputStream out = socket.getOutputStream();
            while (true) {
                socket.setSoTimeout(!talked && !warned ? FIRST_FRAME_TIMEOUT_MILLIS
                        : pendingControl >= 0 ? ambiguousControlMillis : 0);
                if (in.available() == 0) {
                    quickAck();
                }
                int high;
                try {
                    high = in.read(); // nothing consumed if this times out
                } catch (SocketTimeoutException e) {
                    if (!talked) {
                        log.accept("connected to " + where + " but vpcd sends nothing: is another card already in that slot? waiting");
                        warned = true; // once, then wait without a timeout
                    } else {
                        answerOneByteCommand(out, pendingControl);
                        pendingControl = -1;
                    }
                    continue;
                }
                if (high < 0) {
                    return new Ending("closed by vpcd", talked);
                }
                if (!talked) {
                    talked = true;
                    attached.run();
                }
                int length = (high << 8) | in.readUnsignedByte();
                if (in.available() < length) {
                    quickAck(); // the payload waits for our ACK of the length (see quickAck)
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                boolean powerControl = length == 1
                        && (payload[0] == CTRL_POWER_OFF || payload[0] == CTRL_POWER_ON || payload[0] == CTRL_RESET);
                pendingControl = powerControl ? payload[0] : -1;
                if (length == 1 && payload[0] == CTRL_ATR && hangUp.getAsBoolean()) {
                    return new Ending("left at vpcd's presence poll", talked); // unanswered: pcscd marks the card absent
                }
                byte[] answer = handle(payload);
                if (answer != null) {
                    out.write(frame(answer));
                    out.flush();
                }
            }
        } catch (EOFException e) {
            return new Ending("closed by vpcd in the middle of a frame", talked);
        } catch (SocketException e) {
            return new Ending(e.getMessage(), talked);
        } catch (IOException e) {
            return new Ending(e.toString(), talked);
        }
    }

    /** The answer to one frame from vpcd, or null for the controls vpcd expects no answer to. */
    private byte[] handle(byte[] payload) {
        if (payload.length == 1) {
            switch (payload[0]) {
                case CTRL_POWER_OFF:
                case CTRL_POWER_ON:
                case CTRL_RESET:
                    resetCard();
                    return null;
                case CTRL_ATR:
                    return card.atr();
                default:
                    // not a control vpcd sends: a 1-byte C-APDU, and vpcd waits for its answer
                    apdus.incrementAndGet();
                    log.accept(String.format("malformed command %02X (1 byte) answered 6700", payload[0] & 0xFF));
                    return statusWord(CommandCheck.SW_WRONG_LENGTH);
            }
        }
        if (payload.length == 0) {
            log.accept("empty frame from vpcd ignored");
            return null;
        }
        apdus.incrementAndGet();
        return respond(payload);
    }

    /**
     * vpcd's framing cannot tell a 1-byte C-APDU {@code 00}, {@code 01} or {@code 02} from a power
     * control. A real control is never left waiting: pcscd follows power on and reset with "get ATR"
     * at once and polls presence every 400 ms. So when nothing follows, vpcd is waiting for an
     * R-APDU, and a 1-byte command is too short to be anything but wrong. (The card has been reset
     * by then; a 1-byte {@code 04} gets the ATR. Nothing better fits the protocol.)
     */
    private void answerOneByteCommand(OutputStream out, int command) throws IOException {
        apdus.incrementAndGet();
        log.accept(String.format("vpcd silent after control %02X: taken as a malformed 1-byte command, answered 6700", command));
        out.write(frame(statusWord(CommandCheck.SW_WRONG_LENGTH)));
        out.flush();
    }

    /** The R-APDU for a C-APDU; never null, never without a status word. */
    private byte[] respond(byte[] command) {
        int sw = CommandCheck.statusFor(command);
        if (sw != CommandCheck.WELL_FORMED) {
            log.accept(String.format("malformed command %s (%d bytes) answered %04X", header(command), command.length, sw));
            return statusWord(sw);
        }
        byte[] response;
        try {
            response = card.transmit(command);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw (Error) e; // out of memory: let the connection drop, vpcd sees the card leave
            }
            log.accept(String.format("the card failed on %s (%s) answered 6A80", header(command), e));
            return statusWord(CommandCheck.SW_WRONG_DATA);
        }
        if (response == null || response.length < 2 || response.length > MAX_FRAME) {
            log.accept(String.format("the card answered %s with %s bytes; answered 6A80 instead", header(command),
                    response == null ? "no" : String.valueOf(response.length)));
            return statusWord(CommandCheck.SW_WRONG_DATA);
        }
        return response;
    }

    /** Resets the card, logging rather than throwing if it fails: the reader must stay served. */
    void resetCard() {
        try {
            card.reset();
        } catch (RuntimeException e) {
            log.accept("card reset failed: " + e);
        }
    }

    /**
     * Acknowledges received bytes at once instead of after Linux's delayed-ACK timer (40 ms).
     * vpcd 0.8/3.3 as shipped by Debian and Ubuntu sends each frame in two writes, length then
     * payload, without TCP_NODELAY: Nagle's algorithm holds the payload until the length is ACKed,
     * and the card has nothing to send yet that the ACK could ride on. That was the 48 ms per APDU
     * measured with jcardsim's VSmartCard. Linux clears the flag as it sees fit, so it is set again
     * before every read. Other systems lack the option and keep the delay.
     */
    private void quickAck() {
        if (quickAckSupported) {
            try {
                socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            } catch (IOException | UnsupportedOperationException e) {
                quickAckSupported = false;
                log.accept("TCP_QUICKACK unavailable (" + e + "); expect about 40 ms per APDU with vpcd 3.3");
            }
        }
    }

    static byte[] frame(byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) (payload.length >>> 8);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    private static byte[] statusWord(int sw) {
        return new byte[] {(byte) (sw >>> 8), (byte) sw};
    }

    /** CLA INS P1 P2 only: the body may carry keys or account data. */
    private static String header(byte[] command) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, command.length); i++) {
            sb.append(String.format("%02X", command[i] & 0xFF));
        }
        return sb.toString();
    }
}
