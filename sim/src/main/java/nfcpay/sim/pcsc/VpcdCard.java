package nfcpay.sim.pcsc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
 *     silence would hang pcscd's reader. See {@link VpcdSession} for 1-byte commands.</li>
 * <li>About 0.1 ms per APDU through pcscd: TCP_NODELAY, and TCP_QUICKACK against the delayed
 *     ACKs that made jcardsim's VSmartCard take 48 ms (see {@link VpcdSession}).</li>
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

    /** How long a removal waits for vpcd's presence poll (every 400 ms) before hanging up anyway. */
    static final Duration HANG_UP_GRACE = Duration.ofSeconds(1);
    static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

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

    private volatile Duration ambiguousControlTimeout = VpcdSession.AMBIGUOUS_CONTROL_TIMEOUT;
    private volatile Duration hangUpGrace = HANG_UP_GRACE;
    /** Set under lock: leave at vpcd's next presence poll (see {@link #hangUpAtNextPoll}). */
    private volatile boolean hangUp;

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

    /**
     * Takes the card out of the reader; the card keeps its state. The connection closes at vpcd's
     * next presence poll (within 0.4 s), so applications see the card go as they would with a real
     * reader: SCARD_W_REMOVED_CARD, never a half answer. {@code awaitState(State.REMOVED, ...)} waits
     * for it. Commands that arrive before that poll are still answered.
     */
    public void remove() {
        synchronized (lock) {
            if (!inserted || stopping) {
                return;
            }
            inserted = false;
            hangUpAtNextPoll();
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
            hangUp = false; // put back before vpcd noticed: it never left
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

    /** Shortens the wait of a removal for vpcd's poll, for tests. */
    VpcdCard hangUpGrace(Duration grace) {
        this.hangUpGrace = grace;
        return this;
    }

    /** Shortens the wait for a 1-byte command that looks like a power control, for tests. */
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

    /**
     * Stops for good: leaves the reader as {@link #remove()} does (within 0.4 s, at most
     * {@link #HANG_UP_GRACE}) and waits for the worker to end. Idempotent.
     */
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
            hangUpAtNextPoll();
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
                    s.connect(resolved(), CONNECT_TIMEOUT_MILLIS);
                } catch (IOException e) {
                    closeQuietly(s);
                    if (!outageReported) {
                        log.accept("vpcd not reachable at " + describe() + " (" + e.getMessage()
                                + "); retrying until it is. " + SETUP_HINT);
                        outageReported = true;
                    }
                    pause(backoff);
                    backoff = longer(backoff);
                    continue;
                }
                synchronized (lock) {
                    if (stopping || !inserted) {
                        closeQuietly(s);
                        continue;
                    }
                    socket = s;
                    hangUp = false;
                }
                VpcdSession session = new VpcdSession(s, card, log, apdus, ambiguousControlTimeout,
                        describe() + " (" + readerName() + ")", this::attached, () -> hangUp);
                session.resetCard(); // a fresh insertion: the card powers up with the reader
                VpcdSession.Ending end = session.serve();
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
                log.accept("connection to vpcd lost (" + end.reason() + "); reconnecting");
                if (end.talked()) {
                    backoff = MIN_BACKOFF;
                    outageReported = false;
                } else {
                    pause(backoff); // vpcd accepted nothing: do not reconnect in a tight loop
                    backoff = longer(backoff);
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

    private static Duration longer(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
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

    /**
     * Closes the connection at vpcd's next presence poll ("get ATR") instead of at once. vpcd 3.3
     * turns a connection that closes under a command into an empty response with success, which
     * javax.smartcardio reports as IllegalArgumentException("apdu must be at least 2 bytes long")
     * and other clients as garbage; failing the poll instead makes pcscd mark the card absent
     * first, as a real reader does. A vpcd that does not poll gets {@link #hangUpGrace}.
     * Call with the lock held.
     */
    private void hangUpAtNextPoll() {
        Socket s = socket;
        if (s == null) {
            return;
        }
        if (state != State.CONNECTED) {
            closeSocket(); // vpcd has not taken the card yet: nothing to be gentle about
            return;
        }
        hangUp = true;
        long graceMillis = hangUpGrace.toMillis();
        Thread grace = new Thread(() -> {
            try {
                Thread.sleep(graceMillis);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (hangUp && socket == s) {
                    closeSocket();
                }
            }
        }, "vpcd-hang-up");
        grace.setDaemon(true);
        grace.start();
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
