package nfcpay.sim.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * its PID, also when the test fails.
 */
final class PcscStack {

    static final String HOST = "127.0.0.1";
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SLOTS = 2;
    private static final Pattern OPENSC_SW = Pattern.compile("Received \\(SW1=0x(\\p{XDigit}{2}), SW2=0x(\\p{XDigit}{2})\\)");

    final TerminalFactory factory;
    final int port;
    final String readerName;

    private PcscStack(TerminalFactory factory, int port) {
        this.factory = factory;
        this.port = port;
        this.readerName = VpcdCard.readerName(port);
    }

    /**
     * Skips the calling test class, saying why, when vpcd does not listen; otherwise picks the first
     * vpcd slot without a card, so that a card someone serves by hand does not break the run.
     */
    static PcscStack freeSlotOrSkip() throws CardException {
        // This probe is a connection vpcd will accept as a card at its next poll, then drop: harmless.
        if (!listens(VpcdCard.DEFAULT_PORT)) {
            String reason = "PC/SC integration tests skipped: nothing listens on " + HOST + ":" + VpcdCard.DEFAULT_PORT
                    + " (pcscd with vsmartcard-vpcd); run scripts/pcsc-up.sh as root to enable them";
            System.out.println(reason); // the console shows only a count of skipped tests
            assumeTrue(false, reason);
        }
        TerminalFactory factory = TerminalFactory.getDefault();
        for (int slot = 0; slot < SLOTS; slot++) {
            int p = VpcdCard.DEFAULT_PORT + slot;
            CardTerminal t = factory.terminals().getTerminal(VpcdCard.readerName(p));
            if (t != null && !t.isCardPresent()) {
                return new PcscStack(factory, p);
            }
        }
        throw new AssertionError("every vpcd slot already holds a card (" + factory.terminals().list()
                + "); stop the other virtual card");
    }

    InetSocketAddress vpcdAddress() {
        return VpcdCard.parseAddress(HOST + ":" + port);
    }

    CardTerminal terminal() {
        return factory.terminals().getTerminal(readerName);
    }

    /** Runs opensc-tool against this reader, one {@code -s} per APDU, and returns the status words. */
    List<String> openscStatusWords(String... apdus) throws Exception {
        return statusWords(opensc(apdus));
    }

    /** Runs opensc-tool against this reader, one {@code -s} per APDU, and returns its output lines. */
    List<String> opensc(String... apdus) throws Exception {
        String tool = onPath("opensc-tool");
        assumeTrue(tool != null, "opensc-tool not installed (apt-get install opensc)");
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

    static List<String> statusWords(List<String> openscOutput) {
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
    static List<String> responseData(List<String> openscOutput) {
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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath));
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

    private static boolean listens(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
