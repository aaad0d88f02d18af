package nfcpay.sim.pcsc;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * Puts a card into a vsmartcard virtual reader ({@code vpcd}, the pcscd driver of Debian's
 * {@code vsmartcard-vpcd}), so that every PC/SC application on the machine sees it in the reader
 * "Virtual PCD 00 00".
 *
 * <p>vpcd listens on TCP (127.0.0.1:35963 for its first slot) and the card connects to it. Frames
 * both ways are a 2-byte big-endian length and that many bytes. A 1-byte frame from vpcd is a
 * control: power off, power on or reset (no answer), or "get ATR" (answered with the ATR). A longer
 * frame is a C-APDU, answered with the R-APDU. The reader sees the card as present exactly while
 * the connection is up: pcscd polls it about every 400 ms with "get ATR".
 *
 * <p>Behaviour:
 * <ul>
 * <li>Every C-APDU gets an answer. A malformed one gets a status word ({@link CommandCheck}); an
 *     exception from the card becomes {@code 6A80}. vpcd waits for an answer without a timeout, so
 *     silence would hang pcscd's reader.</li>
 * <li>Power off, power on and reset all reset the card (transient state cleared, persistent state
 *     kept), as does every new connection, which the reader sees as an insertion.</li>
 * <li>If vpcd goes away (pcscd stopped or restarted) the card reconnects with a bounded backoff,
 *     forever until {@link #close()}; the card object and its persistent state are untouched.</li>
 * <li>{@link #remove()} and {@link #insert()} simulate taking the card out of the field and putting
 *     it back: removal closes the connection, insertion reconnects.</li>
 * </ul>
 *
 * <pre>{@code
 * try (VpcdCard card = new VpcdCard(new CardSimulatorHandler(simulator), VpcdCard.parseAddress("127.0.0.1:35963"))) {
 *     card.start();
 *     System.out.println("reader: " + card.readerName());
 *     card.awaitStopped();
 * }
 * }</pre>
 */
public final class VpcdCard implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** vpcd's first slot; slot n listens on {@code DEFAULT_PORT + n}. */
    public static final int DEFAULT_PORT = 0x8C7B;
    /** The name pcscd gives the reader of vpcd's default configuration ({@code /etc/reader.conf.d/vpcd}). */
    public static final String READER_FRIENDLY_NAME = "Virtual PCD";
    /** What to do first, for usage texts. */
    public static final String SETUP_HINT = "Start pcscd with the vsmartcard virtual reader first: "
            + "sudo apt-get install pcscd vsmartcard-vpcd && sudo pcscd (or sudo scripts/pcsc-up.sh).";

    static final byte CTRL_POWER_OFF = 0x00;
    static final byte CTRL_POWER_ON = 0x01;
    static final byte CTRL_RESET = 0x02;
    static final byte CTRL_ATR = 0x04;

    static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** vpcd polls a connected card every 400 ms; longer silence means it never accepted us. */
    private static final int FIRST_FRAME_TIMEOUT_MILLIS = 3_000;
    private static final int MAX_FRAME = 0xFFFF;
    /** See {@link #answerOneByteCommand}: several of pcscd's 400 ms presence polls. */
    static final Duration AMBIGUOUS_CONTROL_TIMEOUT = Duration.ofMillis(1_500);

    /** Where the card is in its life. */
    public enum State {
        /** Created, {@link #start()} not called yet. */
        NEW,
        /** Inserted, trying to reach vpcd or waiting for it to accept (also while pcscd is down). */
        CONNECTING,
        /** vpcd accepted the card and polls it: the reader sees it (pcscd may take up to 400 ms more). */
        CONNECTED,
        /** Taken out of the reader by {@link #remove()}. */
        REMOVED,
        /** Closed for good. */
        STOPPED
    }

    private final ApduHandler card;
    private final InetSocketAddress vpcd;
    private final Consumer<String> log;
    private final Object lock = new Object();
    private final AtomicLong apdus = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    /** Only the worker thread touches it. */
    private boolean quickAckSupported = true;
    private volatile Duration ambiguousControlTimeout = AMBIGUOUS_CONTROL_TIMEOUT;

    // guarded by lock
    private State state = State.NEW;
    private boolean inserted = true;
    private boolean stopping;
    private Socket socket;
    private Thread worker;

    /** A card for the vpcd at {@code vpcd}, logging its connection events to standard error. */
    public VpcdCard(ApduHandler card, InetSocketAddress vpcd) {
        this(card, vpcd, line -> System.err.println("vpcd: " + line));
    }

    /**
     * @param card the card to serve
     * @param vpcd where vpcd listens, see {@link #parseAddress(String)}
     * @param log receives one line per event (connections, removals, malformed commands); never
     *     APDU data, which may carry keys and account numbers
     */
    public VpcdCard(ApduHandler card, InetSocketAddress vpcd, Consumer<String> log) {
        this.card = Objects.requireNonNull(card, "card");
        this.vpcd = Objects.requireNonNull(vpcd, "vpcd");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Parses {@code HOST:PORT}, {@code HOST}, {@code :PORT} or {@code [IPv6]:PORT}; missing parts
     * default to {@value #DEFAULT_HOST} and {@value #DEFAULT_PORT}. The address is not resolved
     * until the card connects, so a name that does not resolve yet is retried like a refused port.
     */
    public static InetSocketAddress parseAddress(String hostPort) {
        String s = Objects.requireNonNull(hostPort, "hostPort").trim();
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 < s.length() && s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [IPv6]:PORT, got '" + hostPort + "'");
            }
            host = s.substring(1, close);
            port = close + 1 < s.length() ? s.substring(close + 2) : null;
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        } // more than one colon and no brackets: a bare IPv6 address
        return InetSocketAddress.createUnresolved(host.isEmpty() ? DEFAULT_HOST : host,
                port == null ? DEFAULT_PORT : parsePort(port, hostPort));
    }

    private static int parsePort(String port, String hostPort) {
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number in '" + hostPort + "': " + port, e);
        }
        if (p < 1 || p > 0xFFFF) {
            throw new IllegalArgumentException("port out of range in '" + hostPort + "'");
        }
        return p;
    }

    /**
     * The PC/SC reader name pcscd shows for the vpcd slot on {@code port} with vpcd's default
     * configuration: slot n (port 35963 + n) is "Virtual PCD 00 0n". A vpcd configured otherwise
     * names its readers otherwise; {@code pcsc_scan} or {@code opensc-tool -l} lists them.
     */
    public static String readerName(int port) {
        int slot = port - DEFAULT_PORT;
        if (slot < 0 || slot > 0xFF) {
            throw new IllegalArgumentException("port " + port + " is not a vpcd slot of the default configuration");
        }
        return String.format("%s 00 %02X", READER_FRIENDLY_NAME, slot);
    }

    /** The reader name for this card's port, or a description when the port is not a default vpcd slot. */
    public String readerName() {
        int slot = vpcd.getPort() - DEFAULT_PORT;
        return slot >= 0 && slot <= 0xFF ? readerName(vpcd.getPort()) : "the vpcd reader on port " + vpcd.getPort();
    }

    public InetSocketAddress address() {
        return vpcd;
    }

    /** Starts serving on a background (non-daemon) thread; returns at once. Call it once. */
    public VpcdCard start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("already started or closed");
            }
            state = inserted ? State.CONNECTING : State.REMOVED;
            worker = new Thread(this::run, "vpcd-card " + vpcd);
            worker.start();
        }
        return this;
    }

    /** Takes the card out of the reader: the connection closes, the card keeps its state. */
    public void remove() {
        synchronized (lock) {
            if (!inserted || stopping) {
                return;
            }
            inserted = false;
            closeSocket();
            lock.notifyAll();
        }
        log.accept("card removed from " + readerName());
    }

    /** Puts the card back into the reader: it reconnects to vpcd, which powers it up afresh. */
    public void insert() {
        synchronized (lock) {
            if (inserted || stopping) {
                return;
            }
            inserted = true;
            lock.notifyAll();
        }
        log.accept("card inserted into " + readerName());
    }

    /** Removes an inserted card or inserts a removed one; returns true when it is now inserted. */
    public boolean toggle() {
        boolean insert;
        synchronized (lock) {
            insert = !inserted;
        }
        if (insert) {
            insert();
        } else {
            remove();
        }
        return insert;
    }

    public boolean isInserted() {
        synchronized (lock) {
            return inserted;
        }
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Waits until the card reaches {@code wanted}; false if the timeout passed first. */
    public boolean awaitState(State wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state != wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** C-APDUs answered since creation, malformed ones included. */
    public long apduCount() {
        return apdus.get();
    }

    /** Successful connections to vpcd since creation (1 + reconnections + re-insertions). */
    public long connectionCount() {
        return connections.get();
    }

    /** Shortens the wait of {@link #answerOneByteCommand} for tests. */
    VpcdCard ambiguousControlTimeout(Duration timeout) {
        this.ambiguousControlTimeout = timeout;
        return this;
    }

    /**
     * Drops the connection as a pcscd restart would, without removing the card: the card
     * reconnects on its own. For tests of the reconnection path.
     */
    void dropConnection() {
        synchronized (lock) {
            closeSocket();
        }
    }

    /** Stops for good: closes the connection and waits briefly for the worker to end. Idempotent. */
    @Override
    public void close() {
        Thread w;
        boolean first;
        synchronized (lock) {
            if (state == State.NEW) {
                setState(State.STOPPED);
                return;
            }
            first = !stopping;
            stopping = true;
            closeSocket();
            lock.notifyAll();
            w = worker;
        }
        if (first) {
            log.accept("stopping; the card leaves " + readerName());
        }
        if (w != null && w != Thread.currentThread()) {
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Blocks until {@link #close()} has stopped the card (from a shutdown hook, a command...). */
    public void awaitStopped() throws InterruptedException {
        synchronized (lock) {
            while (state != State.STOPPED) {
                lock.wait();
            }
        }
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        boolean outageReported = false;
        try {
            while (true) {
                Socket s;
                synchronized (lock) {
                    while (!inserted && !stopping) {
                        setState(State.REMOVED);
                        lock.wait();
                    }
                    if (stopping) {
                        return;
                    }
                    setState(State.CONNECTING);
                }
                s = new Socket();
                try {
                    s.setTcpNoDelay(true); // one small frame per round trip: never wait for delayed ACKs
                    quickAckSupported = s.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
                    s.connect(resolved(), CONNECT_TIMEOUT_MILLIS);
                } catch (IOException e) {
                    closeQuietly(s);
                    if (!outageReported) {
                        log.accept("vpcd not reachable at " + describe() + " (" + e.getMessage()
                                + "); retrying until it is. " + SETUP_HINT);
                        outageReported = true;
                    }
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    continue;
                }
                synchronized (lock) {
                    if (stopping || !inserted) {
                        closeQuietly(s);
                        continue;
                    }
                    socket = s;
                }
                resetCard(); // a fresh insertion: the card powers up with the reader
                String end = serve(s);
                boolean talked = !end.startsWith("-");
                synchronized (lock) {
                    if (socket == s) {
                        socket = null;
                    }
                    closeQuietly(s);
                    if (stopping) {
                        return;
                    }
                    if (!inserted) {
                        continue;
                    }
                }
                log.accept("connection to vpcd lost (" + end.replaceFirst("^-", "") + "); reconnecting");
                if (talked) {
                    backoff = MIN_BACKOFF;
                    outageReported = false;
                } else {
                    pause(backoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (lock) {
                closeSocket();
                setState(State.STOPPED);
            }
        }
    }

    /**
     * Serves one connection until it ends; returns why, prefixed with '-' when vpcd never sent a
     * frame (so the caller keeps backing off instead of reconnecting in a tight loop).
     */
    private String serve(Socket s) {
        boolean talked = false;
        boolean warned = false;
        int pendingControl = -1; // a power control that might have been a 1-byte C-APDU
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), MAX_FRAME + 2));
            OutputStream out = s.getOutputStream();
            while (true) {
                s.setSoTimeout(!talked && !warned ? FIRST_FRAME_TIMEOUT_MILLIS
                        : pendingControl >= 0 ? (int) ambiguousControlTimeout.toMillis() : 0);
                if (in.available() == 0) {
                    quickAck(s);
                }
                int high;
                try {
                    high = in.read(); // nothing consumed if this times out
                } catch (SocketTimeoutException e) {
                    if (!talked) {
                        log.accept("connected to " + describe() + " but vpcd sends nothing: is another card already in "
                                + readerName() + "? waiting");
                        warned = true; // once, then wait without a timeout
                    } else {
                        answerOneByteCommand(out, pendingControl);
                        pendingControl = -1;
                    }
                    continue;
                }
                if (high < 0) {
                    return (talked ? "" : "-") + "closed by vpcd";
                }
                if (!talked) {
                    talked = true;
                    attached();
                }
                int length = (high << 8) | in.readUnsignedByte();
                if (in.available() < length) {
                    quickAck(s); // the payload waits for our ACK of the length (see quickAck)
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                boolean powerControl = length == 1 && (payload[0] == CTRL_POWER_OFF || payload[0] == CTRL_POWER_ON || payload[0] == CTRL_RESET);
                pendingControl = powerControl ? payload[0] : -1;
                byte[] answer = handle(payload);
                if (answer != null) {
                    out.write(frame(answer));
                    out.flush();
                }
            }
        } catch (EOFException e) {
            return (talked ? "" : "-") + "closed by vpcd in the middle of a frame";
        } catch (SocketException e) {
            return (talked ? "" : "-") + e.getMessage();
        } catch (IOException e) {
            return (talked ? "" : "-") + e;
        }
    }

    /**
     * vpcd's framing cannot tell a 1-byte C-APDU {@code 00}, {@code 01} or {@code 02} from a power
     * control. A real control is never left waiting: pcscd follows power on and reset with "get ATR"
     * at once and polls presence every 400 ms. So when nothing follows, vpcd is waiting for an
     * R-APDU, and a 1-byte command is too short to be anything but wrong.
     */
    private void answerOneByteCommand(OutputStream out, int command) throws IOException {
        apdus.incrementAndGet();
        log.accept(String.format("vpcd silent after control %02X: taken as a malformed 1-byte command, answered 6700", command));
        out.write(frame(statusWord(CommandCheck.SW_WRONG_LENGTH)));
        out.flush();
    }

    /** vpcd accepted the connection and polled: from now on pcscd reports the card present. */
    private void attached() {
        synchronized (lock) {
            if (stopping || !inserted) {
                return;
            }
            setState(State.CONNECTED);
        }
        connections.incrementAndGet();
        log.accept("connected to vpcd at " + describe() + "; the card is in reader \"" + readerName() + "\"");
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

    /** The R-APDU for a C-APDU; never null, never without a status word. */
    byte[] respond(byte[] command) {
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
                throw (Error) e;
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

    /**
     * Acknowledges received bytes at once instead of after Linux's delayed-ACK timer (40 ms).
     * vpcd 0.8/3.3 as shipped by Debian and Ubuntu sends each frame in two writes, length then
     * payload, without TCP_NODELAY: Nagle's algorithm holds the payload until the length is ACKed,
     * and the card has nothing to send yet that the ACK could ride on. That was the 48 ms per APDU
     * measured with jcardsim's VSmartCard. Linux clears the flag as it sees fit, so it is set again
     * before every read. Other systems lack the option and keep the delay.
     */
    private void quickAck(Socket s) {
        if (quickAckSupported) {
            try {
                s.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            } catch (IOException | UnsupportedOperationException e) {
                quickAckSupported = false;
                log.accept("TCP_QUICKACK unavailable (" + e + "); expect about 40 ms per APDU with vpcd 3.3");
            }
        }
    }

    private void resetCard() {
        try {
            card.reset();
        } catch (RuntimeException e) {
            log.accept("card reset failed: " + e);
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
        return sb.length() == 0 ? "(empty)" : sb.toString();
    }

    private InetSocketAddress resolved() {
        return new InetSocketAddress(vpcd.getHostString(), vpcd.getPort());
    }

    private String describe() {
        return vpcd.getHostString() + ":" + vpcd.getPort();
    }

    /** Sleeps up to {@code d}, waking early on removal or stop. */
    private void pause(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (lock) {
            while (!stopping && inserted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void setState(State s) {
        state = s;
        lock.notifyAll();
    }

    private void closeSocket() {
        if (socket != null) {
            closeQuietly(socket);
            socket = null;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }
}
