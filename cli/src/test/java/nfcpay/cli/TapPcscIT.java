package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nfcpay.sim.pcsc.PcscStack;
import nfcpay.terminal.apdu.TerminalWire.Command;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.TapBounds;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tap as a cashier sees it (issue 16), through the REAL PC/SC stack: {@code nfcpay sim --pcsc}
 * behind pcscd and vsmartcard-vpcd in one child process, {@code nfcpay pay --reader} in others. One
 * sale owns the reader for its whole exchange; a card that stops answering (its process stopped
 * with SIGSTOP) costs a bounded wait and one line; {@code --wait} waits for the card. Skipped,
 * saying why, without pcscd and vpcd; failed instead under NFCPAY_REQUIRE_PCSC=1. Every child is
 * stopped by its PID in a {@code finally} or an {@code @AfterEach}.
 */
class TapPcscIT {

    /** Any nfcpay pay child must be done by then: every wait in it is bounded well below. */
    private static final Duration CHILD_LIMIT = Duration.ofSeconds(90);

    private static PcscStack pcsc;

    @TempDir
    Path home;

    @TempDir
    Path data;

    private SimProcess sim;
    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void findAFreeVpcdSlot() throws Exception {
        pcsc = PcscStack.freeSlotOrSkip();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : children) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (sim != null) {
            sim.close();
        }
    }

    /**
     * Issue 16's three cashiers on one reader, four rounds: on a shared connection 1 of 12 was approved, the
     * others failed with 6D00, 6901 or "the card left the field". Each sale now owns the reader: all approved, or
     * (never here with the default 30 s wait) a clean "reader busy"; the card lost exactly what was approved.
     */
    @Test
    void salesOfSeveralProcessesOnOneReaderNeverCorruptEachOther() throws Exception {
        sim = SimProcess.start(pcsc, home, "--card", "Daily Wallet=100.00");
        int rounds = 4;
        int cashiers = 3;
        List<ChildRun> runs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<Child> started = new ArrayList<>();
            for (int c = 0; c < cashiers; c++) {
                // a journal each: this test is about the reader, not about three processes in one journal file
                started.add(pay(data.resolve("cashier" + c), "--amount", "1.00"));
            }
            for (Child child : started) {
                runs.add(child.finish());
            }
        }
        Cli.Run cards = new Cli(home).run("cards", "--reader", pcsc.readerName, "--json", "--data-dir",
                data.resolve("cards").toString(), "--test-keys");

        int approved = 0;
        for (ChildRun r : runs) {
            assertThat(r.err()).as("never a card answer garbled by another sale")
                    .doesNotContain("6D00", "6901", "left the field", "Exception");
            if (r.exit() == 0) {
                assertThat(r.out()).startsWith("approved: CNY 1.00 paid by Daily Wallet");
                approved++;
            } else {
                assertThat(r.exit()).as(r.err()).isEqualTo(Main.ERROR);
                assertThat(r.err().lines()).singleElement().asString().startsWith("nfcpay: error: reader busy");
                assertThat(r.out()).isEmpty();
            }
        }
        System.out.println("issue 16: " + approved + " of " + runs.size() + " concurrent sales approved");
        assertThat(approved).as("with a 30 s wait every sale gets the reader in turn").isEqualTo(rounds * cashiers);
        long completed = 0;
        for (int c = 0; c < cashiers; c++) {
            for (JournalRecord rec : Cli.journal(data.resolve("cashier" + c))) {
                assertThat(rec.state()).isEqualTo(TransactionState.COMPLETED);
                completed++;
            }
        }
        assertThat(completed).isEqualTo(approved);
        assertThat(balance(cards)).as("the card lost exactly what was approved").isEqualTo(10_000 - 100L * approved);
    }

    /** While another process holds the reader, a sale waits for it up to --wait, then says "reader busy" and changes nothing. */
    @Test
    void aSaleWaitsForTheReaderAnotherSaleHoldsAndGivesUpAfterItsBound() throws Exception {
        sim = SimProcess.start(pcsc, home, "--card", "Daily Wallet=100.00");
        Path journal = data.resolve("pos");

        ChildRun busy;
        Child waiting;
        try (Transport other = Readers.open(pcsc.readerName, TapBounds.NO_CARD_WAIT)) {
            // the other sale is in the middle of its exchange
            other.transceive(java.util.HexFormat.of().parseHex("00A404000E325041592E5359532E444446303100"));
            long start = System.nanoTime();
            busy = pay(journal, "--amount", "1.00", "--wait", "2").finish();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("reader busy after " + took.toMillis() + " ms (--wait 2, JVM start included)");
            waiting = pay(journal, "--amount", "2.00", "--wait", "30");
            Thread.sleep(1_500); // it waits for the reader now
            assertThat(waiting.process.isAlive()).as("still waiting for the reader").isTrue();
        }
        ChildRun served = waiting.finish();
        Cli.Run cards = new Cli(home).run("cards", "--reader", pcsc.readerName, "--json", "--data-dir",
                data.resolve("cards").toString(), "--test-keys");

        assertThat(busy.exit()).isEqualTo(Main.ERROR);
        assertThat(busy.out()).isEmpty();
        assertThat(busy.err().lines()).singleElement().asString().isEqualTo("nfcpay: error: reader busy: '"
                + pcsc.readerName + "' was not free within 2 s (another sale holds it, or its card stopped answering);"
                + " nothing was sent to the card");
        assertThat(served.exit()).as(served.err()).isZero();
        assertThat(served.out()).startsWith("approved: CNY 2.00 paid by Daily Wallet");
        assertThat(Cli.journal(journal)).extracting(JournalRecord::state, r -> r.amount().format())
                .as("the busy sale left nothing").containsExactly(tuple(TransactionState.COMPLETED, "2.00"));
        assertThat(balance(cards)).isEqualTo(10_000 - 200);
    }

    /** A SIM process stopped with SIGSTOP: the sale ends after its bound with one line, and the SIM serves again once it runs. */
    @Test
    void aStoppedSimIsOneLineAfterTheBoundNotAHang() throws Exception {
        sim = SimProcess.start(pcsc, home, "--card", "Daily Wallet=100.00");
        Path journal = data.resolve("pos");
        assertThat(pay(journal, "--amount", "1.00").finish().exit()).isZero();

        assertThat(sim.freeze()).as("kill -STOP").isTrue();
        ChildRun stalled;
        long start = System.nanoTime();
        try {
            stalled = pay(journal, "--amount", "2.00", "--card-timeout", "2", "--wait", "3").finish();
        } finally {
            sim.thaw();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        ChildRun after = pay(journal, "--amount", "3.00").finish();

        System.out.println("a stopped SIM: the sale gave up after " + took.toMillis() + " ms (--card-timeout 2)");
        assertThat(stalled.exit()).isEqualTo(Main.ERROR);
        assertThat(stalled.out()).isEmpty();
        // pcscd powers the card up again on connect (the last sale reset it), so the stop shows before the first command:
        // from the client's side that is a reader that does not come free
        assertThat(stalled.err().lines()).singleElement().asString().startsWith("nfcpay: error: ")
                .containsAnyOf("reader busy: '" + pcsc.readerName + "' was not free within 3 s", "no answer within 2 s")
                .contains("stopped answering");
        assertThat(took).as("bounded: JVM start, 3 s, and the exit").isLessThan(Duration.ofSeconds(30));
        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(after.out()).startsWith("approved: CNY 3.00 paid by Daily Wallet").contains("balance after  CNY 96.00");
        assertThat(Cli.journal(journal)).extracting(JournalRecord::state).containsOnly(TransactionState.COMPLETED).hasSize(2);
    }

    /**
     * The SIM stops while DEBIT is on its way (it ran it, its answer never comes): one line after the bound, the
     * purchase stays PENDING, and the next tap settles it from the card's proof; the card lost each sale once.
     */
    @Test
    void aSimStoppedUnderDebitLeavesThePurchasePendingAndTheNextTapRecoversIt() throws Exception {
        sim = SimProcess.start(pcsc, home, "--card", "Daily Wallet=100.00");
        Path journal = data.resolve("pos");
        boolean[] stopped = {false};
        Cli stopping = new Cli(home).reader("stopping", name -> {
            Transport real = Environment.PCSC.connect(pcsc.readerName, new TapBounds(Duration.ZERO, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), () -> {}));
            return new Transport() {
                @Override
                public byte[] transceive(byte[] command) throws TransportException {
                    if (!stopped[0] && Command.of(command) == Command.DEBIT_FOR_PURCHASE) {
                        stopped[0] = true;
                        try {
                            assertThat(sim.freeze()).isTrue(); // DEBIT reaches vpcd, which waits for the stopped SIM
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return real.transceive(command);
                }

                @Override
                public void close() throws TransportException {
                    real.close();
                }
            };
        });

        Cli.Run stalled;
        try {
            stalled = stopping.run("pay", "--reader", "stopping", "--amount", "12.00", "--data-dir", journal.toString(),
                    "--test-keys");
        } finally {
            sim.thaw(); // the SIM runs the DEBIT vpcd kept for it; its answer goes to a sale that gave up
        }
        List<JournalRecord> pending = Cli.journal(journal);
        ChildRun next = pay(journal, "--amount", "1.00").finish();
        Cli.Run cards = new Cli(home).run("cards", "--reader", pcsc.readerName, "--json", "--data-dir",
                data.resolve("cards").toString(), "--test-keys");

        assertThat(stalled.singleError()).contains("the card stopped answering: no answer within 2 s", "pending");
        assertThat(pending).extracting(JournalRecord::state).containsExactly(TransactionState.PENDING);
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.out()).startsWith("settled first: a torn purchase of CNY 12.00 on Daily Wallet (journal #1): recovered")
                .contains("approved: CNY 1.00 paid by Daily Wallet");
        assertThat(Cli.journal(journal)).extracting(JournalRecord::state)
                .containsExactly(TransactionState.COMPLETED, TransactionState.RECOVERED);
        assertThat(balance(cards)).as("12.00 and 1.00, each once").isEqualTo(10_000 - 1_200 - 100);
    }

    /** --wait: "present card" on stderr, the sale goes through when the card comes; stdout holds only the answer. */
    @Test
    void aSaleWaitsForTheCardAndSaysSoOnStderr() throws Exception {
        sim = SimProcess.start(pcsc, home, "--card", "Daily Wallet=100.00");
        Path journal = data.resolve("pos");
        sim.remove();

        ChildRun none = pay(journal, "--amount", "1.00", "--wait", "0").finish();
        ChildRun late = pay(journal, "--amount", "1.00", "--wait", "2").finish();
        ChildRun lateLoad = run(journal, "load", "--amount", "1.00", "--wait", "2", "--host", "http://127.0.0.1:9",
                "--token", "unused").finish(); // the card is awaited before the host is asked anything
        Child waiting = pay(journal, "--amount", "4.00", "--json"); // the default wait, 30 s
        waiting.awaitErr("present card");
        sim.insert();
        ChildRun served = waiting.finish();

        assertThat(none.exit()).isEqualTo(Main.ERROR);
        assertThat(none.err().lines()).singleElement().asString()
                .isEqualTo("nfcpay: error: no card on reader '" + pcsc.readerName + "'");
        assertThat(late.exit()).isEqualTo(Main.ERROR);
        assertThat(late.err().lines()).containsExactly("present card (waiting up to 2 s)",
                "nfcpay: error: no card presented on reader '" + pcsc.readerName + "' within 2 s");
        assertThat(lateLoad.exit()).isEqualTo(Main.ERROR);
        assertThat(lateLoad.err().lines()).containsExactly("present card (waiting up to 2 s)",
                "nfcpay: error: no card presented on reader '" + pcsc.readerName + "' within 2 s");
        assertThat(served.exit()).as(served.err()).isZero();
        assertThat(served.err().lines()).containsExactly("present card (waiting up to 30 s)");
        JsonObject answer = JsonParser.parseString(served.out()).getAsJsonObject();
        assertThat(answer.get("status").getAsString()).as("stdout is the JSON answer alone").isEqualTo("approved");
        assertThat(Cli.journal(journal)).extracting(JournalRecord::state).containsExactly(TransactionState.COMPLETED);
    }

    /** Smart selection's 9401 for EUR on a SIM of CNY cards names the currency, as the legacy walk does. */
    @Test
    void aDeclineInACurrencyNoCardHasSaysSo() throws Exception {
        sim = SimProcess.start(pcsc, home, "--card", "Daily Wallet=100.00", "--card", "Salary Card=320.00");

        ChildRun eur = pay(data.resolve("pos"), "--amount", "5", "--currency", "EUR", "--json").finish();
        ChildRun cny = pay(data.resolve("pos"), "--amount", "500", "--json").finish();

        assertThat(eur.exit()).as(eur.err()).isEqualTo(Main.DECLINED);
        assertThat(JsonParser.parseString(eur.out()).getAsJsonObject().get("reason").getAsString())
                .isEqualTo("no card in EUR on this SIM (its cards are in CNY)");
        assertThat(cny.exit()).isEqualTo(Main.DECLINED);
        assertThat(JsonParser.parseString(cny.out()).getAsJsonObject().get("reason").getAsString())
                .isEqualTo("insufficient funds on every card");
    }

    // ------------------------------------------------------------------------------------------

    /** A finished child process: exit code and what it printed. */
    record ChildRun(int exit, String out, String err) {}

    /** A running {@code nfcpay pay --reader} child. */
    final class Child {
        final Process process;
        final Path out;
        final Path err;

        Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        ChildRun finish() throws Exception {
            assertThat(process.waitFor(CHILD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("nfcpay pay finished; stderr: %s",
                    Files.readString(err)).isTrue();
            return new ChildRun(process.exitValue(), Files.readString(out), Files.readString(err));
        }

        void awaitErr(String text) throws Exception {
            long deadline = System.nanoTime() + PcscStack.WAIT.toNanos() * 3;
            while (!Files.readString(err).contains(text)) {
                assertThat(process.isAlive()).as("still running; stderr: %s", Files.readString(err)).isTrue();
                assertThat(System.nanoTime() < deadline).as("waiting for '%s' on stderr", text).isTrue();
                Thread.sleep(20);
            }
        }
    }

    /** {@code nfcpay pay --reader <the slot> <args> --data-dir <journal> --test-keys}, from the packaged jar, started. */
    private Child pay(Path journal, String... args) throws Exception {
        return run(journal, "pay", args);
    }

    /** {@code nfcpay <command> --reader <the slot> <args> --data-dir <journal> --test-keys}, started. */
    private Child run(Path journal, String command, String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of(command, "--reader", pcsc.readerName));
        full.addAll(List.of(args));
        full.addAll(List.of("--data-dir", journal.toString(), "--test-keys"));
        Path out = Files.createTempFile(home, "pay", ".out");
        Path err = Files.createTempFile(home, "pay", ".err");
        ProcessBuilder pb = new ProcessBuilder(PcscStack.javaCommand(SimProcess.JAR.toString(), "nfcpay.cli.Main",
                full.toArray(String[]::new))).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(Environment.NFCPAY_HOME);
        Process p = pb.start();
        children.add(p);
        p.getOutputStream().close();
        return new Child(p, out, err);
    }

    /** Daily Wallet's balance in fen, from a cards --json answer. */
    private static long balance(Cli.Run cards) {
        assertThat(cards.exit()).as(cards.err()).isZero();
        JsonObject daily = cards.json().getAsJsonArray("cards").get(0).getAsJsonObject();
        return Money.parse(daily.get("balance").getAsString(), Money.CNY).minor();
    }
}
