package nfcpay.reliability.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nfcpay.reliability.chaos.ApduBridge.KillMode;
import nfcpay.reliability.chaos.ApduBridge.KillPlan;
import nfcpay.reliability.chaos.ApduBridge.Served;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionKind;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;

/**
 * Terminal process chaos: the kernel runs in a child JVM ({@link TerminalProcess}) with its journal
 * in a file on disk; the SIM lives in this process and reaches the child through the loopback
 * {@link ApduBridge}, so its state survives the terminal. Each child is killed with SIGKILL at a
 * random APDU of its life (one in three at the next DEBIT or CREDIT from there), before the card saw
 * the command, after it ran it, or 0-4 ms after the answer went back (while the terminal computes
 * MAC1 and writes PENDING, or checks MAC2 and writes COMPLETED); the next child opens
 * the same journal file and gets the intent that was in flight, re-taps and must finish it without
 * paying twice. After every settled intent the {@link Reconciler} holds the journal against the cards.
 */
final class KillChaos {

    /** A child lives at most this many APDUs before its kill: one to three intents. */
    private static final int KILL_WITHIN_APDUS = 14;
    private static final long MAX_DELAY_NANOS = 4_000_000;

    private final Random random;
    private final ChaosFigures figures;
    private final Path dir;
    private final Path journalFile;
    private final SimulatedSim sim;
    private final Map<String, Long> topUpTo = new HashMap<>();
    private final CardAuditor auditor;
    private final Journal journal;
    private final Reconciler reconciler;
    private final ServerSocket server;
    private final ExecutorService bridge = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "apdu-bridge");
        t.setDaemon(true);
        return t;
    });
    /** PENDING records a kill left, and whether the card had done their DEBIT/CREDIT then. */
    private final Map<Long, Boolean> pendingAtKill = new HashMap<>();
    private Intent inFlight;
    private int inFlightKills;
    private long nextIntent = 1;

    private KillChaos(long seed, Path dir) throws IOException, TerminalException {
        this.random = new Random(seed);
        this.figures = new ChaosFigures("terminal process killed (SIGKILL), journal on disk", seed,
                "were in flight when their terminal process was killed");
        this.dir = dir;
        this.journalFile = dir.resolve("terminal.db");
        this.sim = SimulatedSim.builder().simId(random.nextLong()).policy(SelectionPolicy.PRIORITY)
                .card("Daily Wallet", 20_000).card("Salary Card", 300_000).card("Travel Card", 1_500_000).build();
        this.auditor = new CardAuditor(sim, "SIM", figures::violation);
        for (SimCard c : sim.cards()) {
            topUpTo.put(c.aidHex(), auditor.lastBalance(c));
        }
        this.journal = Journal.open(journalFile, new byte[] {0x20, 0x00, 0x00, 0x00, 0x00, 0x01}, Clock.systemUTC());
        this.reconciler = new Reconciler(List.of(journal), List.of(auditor), figures);
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    /** Kills {@code kills} terminal processes, then lets one more finish the intent in flight; reconciles all. */
    static ChaosFigures run(long seed, long kills, Path dir) throws Exception {
        long t0 = System.nanoTime();
        KillChaos chaos = new KillChaos(seed, dir);
        try {
            while (chaos.figures.killCount() < kills) {
                chaos.child(chaos.plan());
            }
            chaos.child(null);
            chaos.reconciler.finish();
        } finally {
            chaos.server.close();
            chaos.bridge.shutdownNow();
            chaos.journal.close();
        }
        chaos.figures.millis = (System.nanoTime() - t0) / 1_000_000;
        return chaos.figures;
    }

    /**
     * A random APDU of the next few intents; one plan in three waits from there for the next DEBIT or
     * CREDIT, where the terminal's journal is at stake (PENDING written, the card's answer awaited,
     * then COMPLETED).
     */
    private KillPlan plan() {
        KillMode mode = KillMode.values()[random.nextInt(KillMode.values().length)];
        return new KillPlan(random.nextInt(KILL_WITHIN_APDUS), random.nextInt(3) == 0, mode,
                mode == KillMode.AFTER_ANSWER ? (long) (random.nextDouble() * MAX_DELAY_NANOS) : 0);
    }

    /**
     * One terminal process: intents until the bridge kills it as {@code plan} says; without a plan,
     * only the intent in flight, then it is told to quit.
     */
    private void child(KillPlan plan) throws Exception {
        Process process = start();
        figures.processes++;
        Future<Served> served = bridge.submit(() -> ApduBridge.serve(server.accept(), sim, process, plan));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true)) {
            if (!"ready".equals(readLine(out))) {
                figures.violation("a terminal process did not start: " + stderr());
            } else {
                while (plan != null || inFlight != null) {
                    if (inFlight == null) {
                        inFlight = nextIntent();
                        inFlightKills = 0;
                    }
                    in.println(command(inFlight));
                    String line = readLine(out);
                    if (line == null) {
                        break; // killed (an answer it wrote just before is lost too: the next one finds it in the journal)
                    }
                    settled(line.split(" "));
                }
                in.println("quit");
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            figures.violation("a terminal process did not end");
        }
        Served s = served.get(60, TimeUnit.SECONDS);
        if (plan == null) {
            if (process.exitValue() != 0) {
                figures.violation("the last terminal process exited " + process.exitValue() + ": " + stderr());
            }
            return;
        }
        if (s.killedBy() == null) {
            figures.violation("a terminal process died without being killed (exit " + process.exitValue() + "): " + stderr());
            return;
        }
        figures.kill(s.killedBy().text + ", at " + s.command());
        long did = figures.pendingCardDid;
        notePending();
        if (s.killedBy() == KillMode.AFTER_ANSWER && (s.command().startsWith("DEBIT") || s.command().startsWith("CREDIT"))) {
            if (figures.pendingCardDid > did) {
                figures.killedBeforeCompleted++;
            } else {
                figures.killedAfterCompleted++;
            }
        }
    }

    /** The next line, or null once the process is gone (destroyForcibly closes its streams under the reader). */
    private static String readLine(BufferedReader out) {
        try {
            return out.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private Process start() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path nativeDir = Files.createDirectories(dir.resolve("sqlite-native")); // killed children leave their copy here
        return new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dorg.sqlite.tmpdir=" + nativeDir, "-cp", classpath, TerminalProcess.class.getName(),
                String.valueOf(server.getLocalPort()), journalFile.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("terminal-stderr.txt").toFile()))
                .start();
    }

    private String stderr() {
        try {
            String all = Files.readString(dir.resolve("terminal-stderr.txt"));
            return all.length() > 2_000 ? all.substring(all.length() - 2_000) : all;
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    private Intent nextIntent() throws TerminalException {
        List<JournalRecord> newest = journal.list(1);
        long watermark = newest.isEmpty() ? 0 : newest.get(0).id();
        Optional<SimCard> low = sim.cards().stream()
                .filter(c -> auditor.lastBalance(c) * 5 < topUpTo.get(c.aidHex()))
                .findFirst();
        if (low.isPresent()) {
            figures.loads++;
            SimCard c = low.get();
            return Intent.load(nextIntent++, c.aidHex(), Money.of(topUpTo.get(c.aidHex()) - auditor.lastBalance(c),
                    SimulatedSim.CNY), 0, watermark);
        }
        figures.purchases++;
        long minor = random.nextDouble() < 0.9 ? 1 + random.nextInt(5_000) : 5_000 + random.nextInt(200_000);
        return Intent.purchase(nextIntent++, Money.of(minor, SimulatedSim.CNY), 0, watermark);
    }

    private static String command(Intent i) {
        return i.kind() == TransactionKind.PURCHASE
                ? "purchase " + i.id() + " " + i.amount().minor() + " " + i.watermark()
                : "load " + i.id() + " " + i.aid() + " " + i.amount().minor() + " " + i.watermark();
    }

    /** "settled ID STATUS TAPS [RECOVERY...]" */
    private void settled(String[] w) throws TerminalException {
        if (!w[0].equals("settled") || Long.parseLong(w[1]) != inFlight.id()) {
            throw new IllegalStateException("unexpected answer from the terminal: " + String.join(" ", w));
        }
        Cashier.Status status = Cashier.Status.valueOf(w[2]);
        int taps = Integer.parseInt(w[3]);
        figures.taps += taps + inFlightKills;
        figures.reTaps += taps - 1 + inFlightKills;
        switch (status) {
            case APPROVED -> figures.approved++;
            case DECLINED -> figures.declined++;
            case LOADED -> figures.loaded++;
            case DONE_EARLIER -> figures.doneEarlier++;
            default -> figures.violation("intent " + inFlight.id() + " settled " + status);
        }
        checkPendingOutcomes();
        reconciler.settled(inFlight, status, inFlightKills > 0);
        reconciler.audit(List.of(auditor));
        inFlight = null;
    }

    /** After a kill: which PENDING records the dead terminal left, and whether the card had done them. */
    private void notePending() throws TerminalException {
        if (inFlight == null) {
            return;
        }
        if (inFlightKills++ == 0 && inFlight.kind() == TransactionKind.PURCHASE) {
            figures.purchasesDisrupted++;
        }
        for (JournalRecord r : Cashier.since(journal, inFlight.watermark())) {
            if (r.state() == TransactionState.PENDING && !pendingAtKill.containsKey(r.id())) {
                boolean did = auditor.logged(r.aid(), r.kind(), r.counter());
                pendingAtKill.put(r.id(), did);
                if (did) {
                    figures.pendingCardDid++;
                } else {
                    figures.pendingCardDidNot++;
                }
            }
        }
    }

    /** A PENDING record whose DEBIT the card had done must end RECOVERED; one it had not, VOID. */
    private void checkPendingOutcomes() throws TerminalException {
        for (JournalRecord r : Cashier.since(journal, inFlight.watermark())) {
            Boolean did = pendingAtKill.remove(r.id());
            if (did == null) {
                continue;
            }
            figures.recovery(r);
            TransactionState expected = did ? TransactionState.RECOVERED : TransactionState.VOID;
            if (r.state() != expected) {
                figures.violation("intent " + inFlight.id() + ": " + r + " ended " + r.state() + ", the card "
                        + (did ? "had" : "had not") + " done it");
            }
        }
    }
}
