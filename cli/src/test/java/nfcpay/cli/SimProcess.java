package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.CardException;
import nfcpay.sim.pcsc.PcscStack;

/**
 * {@code nfcpay sim --pcsc} from the packaged jar as a child process in one vpcd slot: started,
 * driven through its standard input, and always stopped by its own PID ({@link #close}, from a
 * {@code finally} or an {@code @AfterEach}).
 */
final class SimProcess implements AutoCloseable {

    /** The packaged jar; -Dnfcpay.it.jar=PATH runs the children from another build (a control against older code). */
    static final Path JAR = Path.of(System.getProperty("nfcpay.it.jar", LauncherIT.ROOT.resolve("cli/target/nfcpay.jar").toString()));

    private final PcscStack pcsc;
    private final Process process;
    private final Writer stdin;
    private final Path stdout;
    private final Path stderr;
    private boolean closed;

    private SimProcess(PcscStack pcsc, Process process, Path stdout, Path stderr) {
        this.pcsc = pcsc;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code nfcpay sim --pcsc --vpcd <the slot> <options>} and returns once pcscd sees the card.
     * A failure to get there stops the child before it is reported.
     */
    static SimProcess start(PcscStack pcsc, Path dir, String... options) throws Exception {
        return start(pcsc, dir, PcscStack.WAIT, options);
    }

    /** As {@link #start(PcscStack, Path, String...)}, waiting up to {@code ready} for the card (a reference VM takes longer). */
    static SimProcess start(PcscStack pcsc, Path dir, Duration ready, String... options) throws Exception {
        assertThat(JAR).as("the shaded jar (failsafe runs after package)").isRegularFile();
        List<String> args = new ArrayList<>(List.of("sim", "--pcsc", "--vpcd", pcsc.vpcd()));
        args.addAll(List.of(options));
        Path out = Files.createTempFile(dir, "sim", ".out");
        Path err = Files.createTempFile(dir, "sim", ".err");
        ProcessBuilder pb = new ProcessBuilder(PcscStack.javaCommand(JAR.toString(), "nfcpay.cli.Main", args.toArray(String[]::new)))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(Environment.NFCPAY_HOME);
        SimProcess sim = new SimProcess(pcsc, pb.start(), out, err);
        try {
            sim.await(sim.stderr, "connected to vpcd", ready); // vpcd polled it: not a card of a slot's previous tenant
            assertThat(pcsc.terminal().waitForCardPresent(PcscStack.WAIT.toMillis())).as("pcscd sees the card").isTrue();
            return sim;
        } catch (Throwable t) {
            try {
                sim.close();
            } catch (Exception e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * The reference VMs the sim runs, by their command line in /proc (Wine rewrites it, and
     * {@code ProcessHandle.Info} does not show it).
     */
    List<ProcessHandle> crefs() {
        return process.descendants().filter(SimProcess::isCref).toList();
    }

    static boolean isCref(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).contains("cref_tdual");
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** One line on the sim's standard input: remove, insert, toggle, status, quit. */
    void command(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** {@code remove}, and back once pcscd has seen the card go. */
    void remove() throws IOException, CardException {
        command("remove");
        assertThat(pcsc.terminal().waitForCardAbsent(PcscStack.WAIT.toMillis())).as("pcscd sees the card gone").isTrue();
    }

    /** {@code insert}, and back once pcscd has seen the card come. */
    void insert() throws IOException, CardException {
        command("insert");
        assertThat(pcsc.terminal().waitForCardPresent(PcscStack.WAIT.toMillis())).as("pcscd sees the card").isTrue();
    }

    String out() throws IOException {
        return Files.readString(stdout);
    }

    String err() throws IOException {
        return Files.readString(stderr);
    }

    /** Waits (10 s at most) until the sim's stdout shows {@code text}. */
    void awaitOut(String text) throws Exception {
        await(stdout, text);
    }

    /** Waits (10 s at most) until the sim's stderr shows {@code text}. */
    void awaitLog(String text) throws Exception {
        await(stderr, text);
    }

    private void await(Path file, String text) throws Exception {
        await(file, text, PcscStack.WAIT);
    }

    private void await(Path file, String text, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!Files.readString(file).contains(text)) {
            assertThat(process.isAlive()).as("nfcpay sim is running; stderr: %s", err()).isTrue();
            assertThat(System.nanoTime() < deadline).as("waiting for '%s'; stdout: %s; stderr: %s", text, out(), err()).isTrue();
            Thread.sleep(20);
        }
    }

    /** Stops it with {@code quit} and returns its exit code. */
    int quit() throws Exception {
        command("quit");
        return awaitExit();
    }

    /** Stops it with SIGTERM, as a service manager or Ctrl-C would, and returns its exit code. */
    int terminate() throws Exception {
        process.destroy();
        return awaitExit();
    }

    /**
     * Stops it with SIGSTOP (through the {@code kill} program; Java sends no other signals), so that
     * a command sent now hangs in vpcd until {@link #kill}. False where there is no {@code kill}.
     */
    boolean freeze() throws Exception {
        Process stop;
        try {
            stop = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).redirectErrorStream(true).start();
        } catch (IOException noKillProgram) {
            return false;
        }
        try {
            assertThat(stop.waitFor(PcscStack.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("kill -STOP").isTrue();
            return stop.exitValue() == 0;
        } finally {
            ProcessHandle.of(stop.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Lets a process {@link #freeze} stopped go on (SIGCONT, through the {@code kill} program). */
    void thaw() throws Exception {
        Process cont = new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).redirectErrorStream(true).start();
        try {
            assertThat(cont.waitFor(PcscStack.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("kill -CONT").isTrue();
            assertThat(cont.exitValue()).as("kill -CONT").isZero();
        } finally {
            ProcessHandle.of(cont.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Kills it with SIGKILL, as a crash would: nothing of it gets to say goodbye. */
    void kill() throws Exception {
        process.destroyForcibly();
        assertThat(process.waitFor(PcscStack.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("killed").isTrue();
    }

    private int awaitExit() throws Exception {
        assertThat(process.waitFor(PcscStack.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("nfcpay sim stopped").isTrue();
        return process.exitValue();
    }

    /** Stops the child by its PID, whatever state it is in, and waits until pcscd has seen the card go. */
    @Override
    public void close() throws CardException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stdin.close();
        } catch (IOException gone) {
            // the child closed its end already
        }
        // A reference VM the sim started is stopped by its shutdown hook; one left behind is killed below (only it:
        // Wine's own services end with their wineserver).
        List<ProcessHandle> children = crefs();
        try {
            thaw(); // a stopped process ignores SIGTERM until it runs again
        } catch (Exception | AssertionError notThere) {
            // gone already, or no kill program: destroyForcibly below still ends it
        }
        ProcessHandle.of(process.pid()).ifPresent(h -> {
            h.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    h.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                h.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        });
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        pcsc.terminal().waitForCardAbsent(PcscStack.WAIT.toMillis()); // the slot is free for the next test
    }
}
