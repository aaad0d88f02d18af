package nfcpay.sim.cref;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of Oracle's reference VM, {@code cref_tdual.exe} of the Java Card 3.0.5 kit, under Wine unless the
 * machine is Windows: started in a folder of its own with its EEPROM in {@value #EEPROM_FILE} there, on a free
 * loopback port, its console output in {@value #LOG_FILE}. cref serves one connection, and exits when the card is
 * powered down (saving its EEPROM file) or when that connection closes.
 *
 * <p>Wine gets a prefix of its own ({@link #winePrefix()}), created once, under a file lock so that test JVMs
 * running at once do not build it twice; no display is needed for a console program.
 */
final class CrefProcess implements AutoCloseable {

    static final String EEPROM_FILE = "eeprom.img";
    static final String LOG_FILE = "cref.log";
    /** cref listens on its port for the contacted interface and on the next one for the contactless. */
    private static final int PORTS = 2;
    private static final int START_ATTEMPTS = 4;
    private static final String BIND_FAILED = "failed to bind socket";
    /**
     * What a Wine program prints when the wineserver it connected to went away: the server of the previous cref (it
     * exits as soon as its last client does) was still shutting down when this one started. Starting again gets a new
     * server.
     */
    private static final String WINESERVER_GONE = "wine client error";
    private static final long WINE_RETRY_MILLIS = 300;
    private static final Duration POLL = Duration.ofMillis(50);

    private final Process process;
    private final Path log;
    private final int port;
    private final long startedNanos;
    /** Kills this cref should the JVM end first (a test killed, a forgotten close): no Wine child outlives it. */
    private final Thread shutdownHook;
    private Socket socket;
    private long connectedNanos;

    private CrefProcess(Process process, Path log, int port, long startedNanos) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startedNanos = startedNanos;
        this.shutdownHook = new Thread(this::kill, "cref-" + process.pid() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts cref in {@code folder} (its EEPROM file there is read if it exists) and returns it with the one
     * connection it serves open ({@link #socket()}). Waits at most {@code timeout} for cref to accept, retrying on another port when
     * the one picked was taken meanwhile; on any failure cref is stopped.
     */
    static CrefProcess start(Path exe, Path folder, Duration timeout, Duration prefixTimeout) {
        if (!Files.isRegularFile(exe)) {
            throw new CrefException("no reference VM at " + exe + " (NFCPAY_CREF should name the 3.0.5 kit's bin/cref_tdual.exe)");
        }
        boolean wine = needsWine();
        if (wine) {
            ensureWinePrefix(prefixTimeout);
        }
        for (int attempt = 1; ; attempt++) {
            int port = freePortPair();
            List<String> command = new ArrayList<>();
            if (wine) {
                command.add("wine");
            }
            // -z: memory figures at start and power down; -e: where an exception was thrown, for error messages
            command.addAll(List.of(exe.toString(), "-z", "-e", "-p", Integer.toString(port), "-e2pfile", EEPROM_FILE));
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(folder.resolve(LOG_FILE).toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            if (wine) {
                wineEnvironment(builder.environment());
            }
            long started = System.nanoTime();
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new CrefException("cannot start " + String.join(" ", command) + ": " + e.getMessage()
                        + (wine ? " (is Wine installed? scripts/ can install it)" : ""), e);
            }
            CrefProcess cref = new CrefProcess(process, folder.resolve(LOG_FILE), port, started);
            try {
                cref.socket = cref.awaitConnection(timeout);
                cref.connectedNanos = System.nanoTime();
                return cref;
            } catch (RuntimeException e) {
                cref.close();
                if (attempt < START_ATTEMPTS && cref.output().contains(BIND_FAILED)) {
                    continue; // another program took the port between our probe and cref's bind
                }
                if (attempt < START_ATTEMPTS && wine && cref.output().contains(WINESERVER_GONE)) {
                    pause(WINE_RETRY_MILLIS);
                    continue;
                }
                throw e;
            }
        }
    }

    private Socket awaitConnection(Duration timeout) {
        long deadline = startedNanos + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new CrefException("cref exited with status " + process.exitValue() + " before accepting a connection"
                        + outputTail());
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) POLL.toMillis() * 4);
                return socket;
            } catch (ConnectException e) {
                closeQuietly(socket);
            } catch (IOException e) {
                closeQuietly(socket);
                if (System.nanoTime() - deadline > 0) {
                    throw new CrefException("cannot connect to cref on port " + port + ": " + e.getMessage() + outputTail(), e);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CrefException("cref did not accept a connection on port " + port + " within "
                        + timeout.toSeconds() + " s" + outputTail());
            }
            sleep(POLL);
        }
    }

    /** The one connection cref serves. */
    Socket socket() {
        return socket;
    }

    /** Time from starting the process to its accepting the connection. */
    Duration startupTime() {
        return Duration.ofNanos(connectedNanos - startedNanos);
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits at most {@code timeout} for cref to exit by itself (after power down); true when it did. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Everything cref wrote to its console so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines cref wrote, for error messages. */
    String outputTail() {
        String[] lines = output().strip().split("\\R");
        int from = Math.max(0, lines.length - 8);
        StringBuilder tail = new StringBuilder();
        for (int i = from; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                tail.append(tail.length() == 0 ? "; cref said: " : " | ").append(lines[i].strip());
            }
        }
        return tail.toString();
    }

    /** Kills cref and whatever it started, by their process ids, and waits (bounded) for them to go. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) kill() itself
        }
        kill();
    }

    /**
     * Stops cref by its process id: SIGTERM, then SIGKILL if it is still there after a grace period. Only cref
     * itself: the Wine services it started belong to the wineserver, which ends them when its last client is gone;
     * killing them (or the server) under it leaves the others running with no server.
     */
    private void kill() {
        if (socket != null) {
            closeQuietly(socket);
        }
        ProcessHandle cref = process.toHandle();
        cref.destroy();
        try {
            cref.onExit().get(3, TimeUnit.SECONDS);
        } catch (Exception stillThere) {
            cref.destroyForcibly();
            try {
                cref.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Reported by isAlive(); nothing more can be done for a process that ignores SIGKILL.
            }
        }
    }

    static boolean needsWine() {
        return !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * The Wine prefix the reference VM runs in: {@code $NFCPAY_WINEPREFIX}, or {@code nfcpay/wine} under
     * {@code $XDG_CACHE_HOME} (default {@code ~/.cache}). Kept apart from the user's own {@code ~/.wine}.
     */
    static Path winePrefix() {
        String explicit = System.getenv("NFCPAY_WINEPREFIX");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("nfcpay").resolve("wine");
    }

    private static void wineEnvironment(Map<String, String> env) {
        env.put("WINEPREFIX", winePrefix().toString());
        env.put("WINEDEBUG", "-all");
        // No Mono or Gecko: cref needs neither, and their installers would ask on a display.
        env.put("WINEDLLOVERRIDES", "mscoree,mshtml=");
        env.remove("DISPLAY");
    }

    /** Creates the Wine prefix once ({@code wineboot --init}), the first start taking a few seconds more. */
    private static void ensureWinePrefix(Duration timeout) {
        Path prefix = winePrefix();
        if (Files.isRegularFile(prefix.resolve("system.reg"))) {
            return;
        }
        try {
            Files.createDirectories(prefix.getParent());
            Path lock = prefix.getParent().resolve("wine.lock");
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(prefix.resolve("system.reg"))) {
                    return; // another JVM made it while we waited for the lock
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                int status = runBounded(deadline, prefix, "wineboot", "--init");
                // wineboot returns before the wineserver has written the registry files: wait for it to finish.
                runBounded(deadline, prefix, "wineserver", "-w");
                if (!Files.isRegularFile(prefix.resolve("system.reg"))) {
                    throw new CrefException("wineboot exited with status " + status + " without creating the"
                            + " Wine prefix " + prefix);
                }
            }
        } catch (IOException e) {
            throw new CrefException("cannot create the Wine prefix " + prefix + ": " + e.getMessage()
                    + " (is Wine installed? scripts/ can install it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrefException("interrupted while creating the Wine prefix " + prefix, e);
        }
    }

    private static int runBounded(long deadline, Path prefix, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        wineEnvironment(builder.environment());
        Process p = builder.start();
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            // Only a hung tool is killed: a wineserver killed while it ends normally leaves Wine's services behind.
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new CrefException(String.join(" ", command) + " did not finish making the Wine prefix " + prefix
                    + " in time");
        }
        return p.exitValue();
    }

    /** A loopback port that is free, with the next one free too (cref's contactless interface). */
    private static int freePortPair() {
        for (int tries = 0; tries < 50; tries++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new CrefException("no free loopback port: " + e.getMessage(), e);
            }
            if (port + PORTS - 1 <= 65535 && isFree(port + 1)) {
                return port;
            }
        }
        throw new CrefException("found no two free consecutive loopback ports for cref");
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrefException("interrupted while waiting for cref", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was sent on it
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrefException("interrupted while starting cref", e);
        }
    }
}
