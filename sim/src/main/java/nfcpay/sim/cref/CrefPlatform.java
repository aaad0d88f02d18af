package nfcpay.sim.cref;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javacard.framework.Applet;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.CardPlatform;

/**
 * A {@link CardPlatform} on Oracle's Java Card 3.0.5 reference VM ({@code cref}), so that the applets run on a real
 * Java Card VM with its firewall, transactions and memory limits. cref runs under Wine ({@link CrefProcess}) with
 * an EEPROM file of its own in a temporary folder; this class speaks its socket protocol ({@link CrefConnection}),
 * loads the CAP files of the applets' packages through its installer ({@link CapLoader}) when an applet of the
 * package is first installed, and creates the applets.
 *
 * <p>{@link #install}: cref's installer calls {@code install(bArray, bOffset, bLength)} with {@code bArray} its APDU
 * buffer and {@code bArray[bOffset..bOffset+bLength)} exactly the parameters of its create-applet command; it has no
 * notion of an instance AID other than the one the applet registers. So the parameters sent are the GlobalPlatform
 * install data {@link CardPlatform#installData} ({@code Li AID | 00 | La parameters}): the applet sees the same bytes
 * as on jcardsim or under a GlobalPlatform card manager, and registers the instance AID from them.
 *
 * <p>{@link #reset}: cref exits when the card is powered down, so a reset powers down, waits for it to save its
 * EEPROM and exit, and starts it again on the same EEPROM file: everything persistent is kept, transient memory
 * cleared. Every wait is bounded ({@link Options}); a cref that dies or hangs is a {@link CrefException} saying so,
 * and the process is killed. Thread-safe: one command at a time.
 */
public final class CrefPlatform implements CardPlatform, AutoCloseable {

    /** Names the 3.0.5 kit's {@code bin/cref_tdual.exe}. */
    public static final String CREF_VARIABLE = "NFCPAY_CREF";

    /**
     * Bounds of every wait.
     *
     * @param start cref's start until it accepts its connection (Wine prefix ready)
     * @param apdu one command's answer, and cref's exit after power down
     * @param winePrefix creating the Wine prefix, once per machine
     */
    public record Options(Duration start, Duration apdu, Duration winePrefix) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(300));
    }

    private final Path exe;
    private final Options options;
    private final Path folder;
    private static final String SNAPSHOT_FILE = "eeprom.snapshot";
    /** The CAP files found, by package name, in the order found. */
    private final Map<String, CapFile> caps;
    private final Set<String> loaded = new HashSet<>();
    private CrefProcess process;
    private CrefConnection connection;
    private byte[] atr;
    private boolean closed;

    private CrefPlatform(Path exe, Options options, Path folder, Map<String, CapFile> caps) {
        this.exe = exe;
        this.options = options;
        this.folder = folder;
        this.caps = caps;
    }

    /** {@code $NFCPAY_CREF}, when it is set. */
    public static Optional<Path> crefFromEnvironment() {
        String value = System.getenv(CREF_VARIABLE);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /** Starts cref {@code exe} with the default {@link Options}; the applets' CAP files are found under {@code capRoots}. */
    public static CrefPlatform start(Path exe, List<Path> capRoots) {
        return start(exe, capRoots, Options.DEFAULT);
    }

    /** Starts cref {@code exe}, powers the card up, and indexes the CAP files (*.cap) under {@code capRoots}. */
    public static CrefPlatform start(Path exe, List<Path> capRoots, Options options) {
        Map<String, CapFile> caps = findCaps(capRoots);
        Path folder;
        try {
            folder = Files.createTempDirectory("nfcpay-cref");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CrefPlatform platform = new CrefPlatform(exe, options, folder, caps);
        try {
            platform.powerOn();
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
        return platform;
    }

    private static Map<String, CapFile> findCaps(List<Path> roots) {
        Map<String, CapFile> caps = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.getFileName().toString().endsWith(".cap") && Files.isRegularFile(p))
                        .sorted(Comparator.naturalOrder()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path file : files) {
                CapFile cap;
                try {
                    cap = CapFile.read(file);
                } catch (IOException e) {
                    throw new CrefException(e.getMessage(), e);
                }
                CapFile before = caps.putIfAbsent(cap.packageName(), cap);
                if (before != null) {
                    throw new CrefException("two CAP files for package " + cap.packageName() + ": " + before.path()
                            + " and " + file);
                }
            }
        }
        return caps;
    }

    private void powerOn() {
        process = CrefProcess.start(exe, folder, options.start(), options.winePrefix());
        try {
            connection = new CrefConnection(process.socket(), options.apdu());
            atr = connection.powerUp();
        } catch (IOException e) {
            throw failure("power up", e);
        }
    }

    /** The CAP files this platform can load, by package name. */
    public synchronized Map<String, CapFile> caps() {
        return Map.copyOf(caps);
    }

    /** The card's answer to reset: {@code 3B F0 11 00 FF 01} (T=1). */
    @Override
    public synchronized byte[] atr() {
        return atr.clone();
    }

    /** How long the running cref took from its start to accepting the connection. */
    public synchronized Duration startupTime() {
        return process.startupTime();
    }

    /** The EEPROM and RAM figures cref printed last: at its start, or at the last {@link #reset()}'s power down. */
    public synchronized Optional<CrefResources> resources() {
        return CrefResources.last(process.output());
    }

    /** The process id of the running cref (the Wine process, on Linux). */
    public synchronized long pid() {
        return process.pid();
    }

    /** Everything the running cref wrote to its console. */
    public synchronized String output() {
        return process.output();
    }

    /** Loads every CAP file found that is not on the card yet, each after the packages it imports. */
    public synchronized void loadAll() {
        for (CapFile cap : caps.values()) {
            ensureLoaded(cap, new ArrayList<>());
        }
    }

    /** Loads the package named {@code packageName} (and what it imports) unless it is on the card already. */
    public synchronized void load(String packageName) {
        ensureLoaded(cap(packageName), new ArrayList<>());
    }

    private CapFile cap(String packageName) {
        CapFile cap = caps.get(packageName);
        if (cap == null) {
            throw new CrefException("no CAP file for package " + packageName + " (CAP files found: " + caps.keySet() + ")");
        }
        return cap;
    }

    private void ensureLoaded(CapFile cap, List<String> path) {
        if (loaded.contains(cap.packageName())) {
            return;
        }
        if (path.contains(cap.packageName())) {
            throw new CrefException("packages import each other in a cycle: " + path + " -> " + cap.packageName());
        }
        path.add(cap.packageName());
        for (byte[] imported : cap.imports()) {
            for (CapFile other : caps.values()) {
                if (Arrays.equals(other.packageAid(), imported)) {
                    ensureLoaded(other, path);
                }
            }
        }
        path.remove(path.size() - 1);
        CapLoader loader = loader();
        try {
            loader.selectInstaller();
            loader.load(cap);
        } catch (CrefException e) {
            throw withOutput(e);
        }
        loaded.add(cap.packageName());
    }

    private CapLoader loader() {
        return new CapLoader(this::transmit);
    }

    /**
     * Creates an instance of {@code applet} under {@code aid}: the applet class's AID from its package's CAP file
     * (loaded first if need be), the parameters as {@link CardPlatform#installData} lays them out. Leaves the
     * installer selected.
     */
    @Override
    public synchronized void install(byte[] aid, Class<? extends Applet> applet, byte[] parameters) {
        CapFile cap = cap(applet.getPackageName());
        ensureLoaded(cap, new ArrayList<>());
        CapFile.Applet classAid = cap.applet(applet.getSimpleName()).orElseThrow(() -> new CrefException(
                cap.path() + " defines no applet " + applet.getSimpleName() + " (applets: " + cap.applets() + ")"));
        byte[] install = CardPlatform.installData(aid, parameters);
        try {
            CapLoader loader = loader();
            loader.selectInstaller();
            byte[] registered;
            try {
                registered = loader.create(classAid.aid(), install);
            } catch (CrefException e) {
                throw withOutput(e); // with -e cref prints where the applet's install threw
            }
            if (!Arrays.equals(registered, aid)) {
                throw new CrefException(applet.getSimpleName() + " registered as " + hex(registered) + ", not as "
                        + hex(aid));
            }
        } finally {
            Arrays.fill(install, (byte) 0); // the selector's parameters carry the holder PIN
        }
    }

    /**
     * Deletes the applet instance {@code aid} through the installer (its package stays loaded), and leaves the
     * installer selected. The installer refuses an instance another applet still references, and one that is not there.
     */
    @Override
    public synchronized void delete(byte[] aid) {
        CapLoader loader = loader();
        try {
            loader.selectInstaller();
            loader.delete(aid);
        } catch (CrefException e) {
            throw withOutput(e);
        }
    }

    @Override
    public synchronized ResponseAPDU transmit(CommandAPDU command) {
        ensureOpen();
        try {
            return new ResponseAPDU(connection.transmit(command.getBytes()));
        } catch (IOException e) {
            throw failure("APDU " + hex(Arrays.copyOf(command.getBytes(), Math.min(4, command.getBytes().length))) + "...", e);
        }
    }

    /** Powers down (cref saves its EEPROM and exits) and starts cref again on the same EEPROM, powered up. */
    @Override
    public synchronized void reset() {
        powerDownAndExit();
        powerOn();
    }

    /**
     * Keeps a copy of the card's EEPROM as it is now (cref powered down to write it, then up again), for
     * {@link #restore}: a test can give the next one the card it found, loaded packages and all, in a restart.
     */
    public synchronized void snapshot() {
        powerDownAndExit();
        copy(folder.resolve(CrefProcess.EEPROM_FILE), folder.resolve(SNAPSHOT_FILE));
        powerOn();
    }

    /** Puts back the EEPROM of the last {@link #snapshot} and restarts cref on it: everything since is gone. */
    public synchronized void restore() {
        if (!Files.isRegularFile(folder.resolve(SNAPSHOT_FILE))) {
            throw new IllegalStateException("no snapshot to restore");
        }
        if (process != null && process.isAlive()) {
            powerDownAndExit();
        } else {
            closeProcess();
        }
        copy(folder.resolve(SNAPSHOT_FILE), folder.resolve(CrefProcess.EEPROM_FILE));
        powerOn();
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void powerDownAndExit() {
        ensureOpen();
        try {
            connection.powerDown();
        } catch (IOException e) {
            throw failure("power down", e);
        }
        if (!process.awaitExit(options.apdu())) {
            throw failure("power down", new IOException("cref did not exit within " + options.apdu().toSeconds()
                    + " s of power down"));
        }
        closeProcess();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the reference VM is closed");
        }
        if (process == null || !process.isAlive()) {
            throw new CrefException("the reference VM is not running" + (process == null ? "" : process.outputTail()));
        }
    }

    private CrefException withOutput(CrefException e) {
        return process == null || !process.isAlive() ? e : new CrefException(e.getMessage() + process.outputTail(), e);
    }

    /** A failed exchange: cref is stopped (it can be in no state worth keeping) and the message says why. */
    private CrefException failure(String what, IOException cause) {
        String state = process == null ? "" : process.isAlive() ? " (cref still running, now stopped)"
                : " (cref exited)";
        String tail = process == null ? "" : process.outputTail();
        closeProcess();
        return new CrefException("reference VM failed at " + what + ": " + cause.getMessage() + state + tail, cause);
    }

    private void closeProcess() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // the process is killed next anyway
            }
            connection = null;
        }
        if (process != null) {
            process.close();
        }
    }

    /** Stops cref (its process and children, by id) and deletes its folder and EEPROM file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeProcess();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
