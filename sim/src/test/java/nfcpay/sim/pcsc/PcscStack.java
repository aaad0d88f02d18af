package nfcpay.sim.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;

/**
 * The real PC/SC stack as the integration tests find it: pcscd with vsmartcard-vpcd, the default
 * javax.smartcardio provider, and OpenSC's opensc-tool. Every process started here is stopped by
 * its PID, also when the test fails. Public, and in the module's test jar, for the command line's
 * integration tests.
 *
 * <p>Without the stack the tests skip, saying why, unless {@value #REQUIRE_VARIABLE}=1 is set (as
 * {@code .ci/run} does): then a missing stack fails them, so that CI cannot pass by skipping.
 */
public final class PcscStack {

    /** Set to 1 where the stack must be there: a missing pcscd, vpcd or opensc-tool then fails the tests. */
    public static final String REQUIRE_VARIABLE = "NFCPAY_REQUIRE_PCSC";
    public static final String HOST = "127.0.0.1";
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SLOTS = 2;
    private static final Duration SLOT_WAIT = Duration.ofSeconds(30);
    private static final Pattern OPENSC_SW = Pattern.compile("Received \\(SW1=0x(\\p{XDigit}{2}), SW2=0x(\\p{XDigit}{2})\\)");

    public final TerminalFactory factory;
    public final int port;
    public final String readerName;

    private PcscStack(TerminalFactory factory, int port) {
        this.factory = factory;
        this.port = port;
        this.readerName = VpcdCard.readerName(port);
    }

    /**
     * Skips the calling test class, saying why, when pcscd does not answer or lists no vpcd reader
     * (fails it under {@value #REQUIRE_VARIABLE}=1); otherwise picks the first vpcd slot without a
     * card, so that a card someone serves by hand does not break the run. When every slot holds a
     * card (another test run on the same pcscd) it waits for one to be free, then fails.
     *
     * <p>Asking pcscd, not vpcd's TCP port: vpcd accepts one card per slot and leaves further
     * connections unanswered, so a port probe would call a busy slot missing; and a socket-activated
     * pcscd that quit while idle is woken by a PC/SC client, not by a connection to vpcd.
     */
    public static PcscStack freeSlotOrSkip() throws CardException, InterruptedException {
        TerminalFactory factory = TerminalFactory.getDefault();
        List<String> names = new ArrayList<>();
        try {
            for (CardTerminal t : factory.terminals().list()) {
                names.add(t.getName());
            }
        } catch (CardException | RuntimeException e) {
            unavailable("PC/SC does not answer (" + e.getMessage() + "): pcscd is not running or libpcsclite is missing;"
                    + " run scripts/pcsc-up.sh as root to enable them");
        }
        List<Integer> ports = new ArrayList<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            int p = VpcdCard.DEFAULT_PORT + slot;
            if (names.contains(VpcdCard.readerName(p))) {
                ports.add(p);
            }
        }
        if (names.isEmpty()) {
            unavailable("PC/SC lists no reader at all (provider " + factory.getType() + "): pcscd is not running or"
                    + " libpcsclite is missing; run scripts/pcsc-up.sh as root to enable them");
        }
        if (ports.isEmpty()) {
            unavailable("pcscd lists no vsmartcard reader (readers: " + names + "): is vsmartcard-vpcd installed, and"
                    + " pcscd restarted since? run scripts/pcsc-up.sh as root to enable them");
        }
        long deadline = System.nanoTime() + SLOT_WAIT.toNanos();
        do {
            for (int p : ports) {
                CardTerminal t = factory.terminals().getTerminal(VpcdCard.readerName(p));
                if (t != null && !t.isCardPresent()) {
                    return new PcscStack(factory, p);
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("every vpcd slot still holds a card after " + SLOT_WAIT.toSeconds() + " s ("
                + names + "); stop the other virtual card");
    }

    /** Skips the calling test, or fails it under {@value #REQUIRE_VARIABLE}=1, saying what is missing. */
    public static void unavailable(String what) {
        if ("1".equals(System.getenv(REQUIRE_VARIABLE))) {
            fail("PC/SC integration tests cannot run: " + what + " (" + REQUIRE_VARIABLE + "=1: the stack is required here)");
        }
        String reason = "PC/SC integration tests skipped: " + what;
        System.out.println(reason); // the console shows only a count of skipped tests
        assumeTrue(false, reason);
    }

    /** {@code HOST:PORT} of this slot, as {@code --vpcd} takes it. */
    public String vpcd() {
        return HOST + ":" + port;
    }

    public InetSocketAddress vpcdAddress() {
        return VpcdCard.parseAddress(vpcd());
    }

    public CardTerminal terminal() {
        return factory.terminals().getTerminal(readerName);
    }

    /** Runs opensc-tool against this reader, one {@code -s} per APDU, and returns the status words. */
    public List<String> openscStatusWords(String... apdus) throws Exception {
        return statusWords(opensc(apdus));
    }

    /** Runs opensc-tool against this reader, one {@code -s} per APDU, and returns its output lines. */
    public List<String> opensc(String... apdus) throws Exception {
        String tool = onPath("opensc-tool");
        if (tool == null) {
            unavailable("opensc-tool is not installed (apt-get install opensc)");
        }
        List<String> command = new ArrayList<>(List.of(tool, "-r", readerName));
        for (String apdu : apdus) {
            command.add("-s");
            command.add(apdu);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            assertThat(p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("opensc-tool finished").isTrue();
            assertThat(p.exitValue()).as("opensc-tool exit status; output: %s", lines).isZero();
            return lines;
        } finally {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    public static List<String> statusWords(List<String> openscOutput) {
        List<String> sws = new ArrayList<>();
        for (String line : openscOutput) {
            Matcher m = OPENSC_SW.matcher(line);
            if (m.find()) {
                sws.add((m.group(1) + m.group(2)).toUpperCase(Locale.ROOT));
            }
        }
        return sws;
    }

    /**
     * The response data of each command in opensc-tool's output, read back from its hex dump
     * (16 bytes a line, then an ASCII column that breaks words across lines).
     */
    public static List<String> responseData(List<String> openscOutput) {
        List<String> responses = new ArrayList<>();
        StringBuilder current = null;
        for (String line : openscOutput) {
            if (line.startsWith("Received")) {
                if (current != null) {
                    responses.add(current.toString());
                }
                current = new StringBuilder();
            } else if (line.startsWith("Sending")) {
                if (current != null) {
                    responses.add(current.toString());
                }
                current = null;
            } else if (current != null) {
                String hexColumn = line.length() > 48 ? line.substring(0, 48) : line;
                current.append(hexColumn.replace(" ", ""));
            }
        }
        if (current != null) {
            responses.add(current.toString());
        }
        return responses;
    }

    /** The java command for a child JVM with this test run's class path and smartcardio library. */
    static List<String> childJavaCommand(String mainClass, String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return javaCommand(classPath, mainClass, args);
    }

    /**
     * The java command for a child JVM running {@code mainClass} from {@code classPath}, with this
     * run's smartcardio library and jcardsim's secure random.
     */
    public static List<String> javaCommand(String classPath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-Dcom.licel.jcardsim.randomdata.secure=1"));
        String library = System.getProperty("sun.security.smartcardio.library");
        if (library != null && !library.isEmpty()) {
            command.add("-Dsun.security.smartcardio.library=" + library);
        }
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private static String onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
