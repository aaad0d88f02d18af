package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nfcpay.sim.pcsc.PcscStack;
import nfcpay.terminal.apdu.TerminalWire.Command;
import nfcpay.terminal.journal.JournalRecord;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.transport.CardRemovedException;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through the REAL PC/SC stack, with the terminal and the SIM in different
 * processes: {@code nfcpay sim --pcsc} from the packaged jar as a child process behind pcscd and
 * vsmartcard-vpcd, and {@code nfcpay pay/cards --reader} through javax.smartcardio's default
 * provider (in this process through picocli, and once as a child process), and OpenSC's
 * {@code opensc-tool}. Skipped, saying why, without pcscd and vpcd; failed instead under
 * NFCPAY_REQUIRE_PCSC=1 (.ci/run). Every child is stopped by its PID in an {@code @AfterEach}.
 */
class SimPcscIT {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String SELECT_PPSE = "00A404000E325041592E5359532E444446303100";
    private static final String[] WALLET = {"--card", "Daily Wallet=15.00", "--card", "Salary Card=320.00",
        "--card", "Travel Card=1500.00"};

    private static PcscStack pcsc;

    @TempDir
    Path home;

    @TempDir
    Path data;

    private SimProcess sim;

    @BeforeAll
    static void findAFreeVpcdSlot() throws Exception {
        pcsc = PcscStack.freeSlotOrSkip();
    }

    @AfterEach
    void stopTheSim() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    /** nfcpay with the machine's real readers, its journal in this test's data directory. */
    /** The command with this test's data directory; the simulated SIM behind pcscd is issued under the test keys. */
    private Cli.Run nfcpay(Cli cli, String... args) {
        String[] full = Arrays.copyOf(args, args.length + 3);
        full[args.length] = "--data-dir";
        full[args.length + 1] = data.toString();
        full[args.length + 2] = "--test-keys";
        return cli.run(full);
    }

    private Cli.Run nfcpay(String... args) {
        return nfcpay(new Cli(home), args);
    }

    @Test
    void payAndCardsThroughPcscdPayWithTheRightCardAndDecline() throws Exception {
        sim = SimProcess.start(pcsc, home, WALLET);
        String reader = pcsc.readerName;

        Cli.Run daily = nfcpay("pay", "--reader", reader, "--amount", "12.00");
        Cli.Run salary = nfcpay("pay", "--reader", reader, "--amount", "25");
        Cli.Run declined = nfcpay("pay", "--reader", reader, "--amount", "2000", "--json");
        ChildRun child = payInAChildProcess(reader, "1.50");
        Cli.Run cards = nfcpay("cards", "--reader", reader.substring("Virtual ".length()), "--json"); // a unique part does
        sim.command("status");
        sim.awaitOut("inserted (connected");

        assertThat(daily.exit()).as(daily.err()).isZero();
        assertThat(daily.out()).startsWith("approved: CNY 12.00 paid by Daily Wallet").contains("balance after  CNY 3.00");
        assertThat(salary.exit()).as(salary.err()).isZero();
        assertThat(salary.out()).as("more than the default card has: the SIM picks another in the same tap")
                .startsWith("approved: CNY 25.00 paid by Salary Card").contains("balance after  CNY 295.00");
        assertThat(declined.exit()).isEqualTo(Main.DECLINED);
        assertThat(declined.json().get("status").getAsString()).isEqualTo("declined");
        assertThat(declined.json().get("reason").getAsString()).isEqualTo("insufficient funds on every card");
        assertThat(child.exit()).as(child.err()).isZero();
        assertThat(child.out()).startsWith("approved: CNY 1.50 paid by Daily Wallet").contains("balance after  CNY 1.50");
        assertThat(cards.exit()).as(cards.err()).isZero();
        assertThat(cards.json().get("smart_selection").getAsBoolean()).isTrue();
        assertThat(balances(cards.json().getAsJsonArray("cards"))).containsExactly(
                "1 Daily Wallet F000000824010101 1.50", "2 Salary Card F000000824010102 295.00",
                "3 Travel Card F000000824010103 1500.00");
        assertThat(Cli.journal(data)).extracting(JournalRecord::state, r -> r.amount().format())
                .containsExactly(tuple(TransactionState.COMPLETED, "1.50"), tuple(TransactionState.COMPLETED, "25.00"),
                        tuple(TransactionState.COMPLETED, "12.00"));

        assertThat(sim.quit()).as("quit").isZero();
        assertThat(sim.out()).startsWith("nfcpay sim: a simulated SIM with 3 cards, smart selection (policy priority)")
                .contains("card ready in reader \"" + reader + "\"", "stopped");
        assertThat(sim.err()).contains("connected to vpcd", "the card leaves").doesNotContain("Exception", "\tat ");
    }

    @Test
    void openscToolSeesTheDirectoryAndSmartSelectionOfTheSimsOwnCards() throws Exception {
        sim = SimProcess.start(pcsc, home, "--card", "Lunch=20", "--card", "Rent=900.00", "--card", "Euro=50@EUR");

        List<String> directory = pcsc.opensc(SELECT_PPSE);
        List<String> lunch = pcsc.opensc(SELECT_PPSE, gpo("000000001999", "0156"));
        List<String> rent = pcsc.opensc(SELECT_PPSE, gpo("000000002001", "0156"));
        List<String> euro = pcsc.opensc(SELECT_PPSE, gpo("000000002001", "0978"));
        List<String> tooMuch = pcsc.opensc(SELECT_PPSE, gpo("000000090001", "0156"));
        List<String> twice = pcsc.opensc(SELECT_PPSE, gpo("000000000100", "0156"), gpo("000000000100", "0156"));
        int stopped = sim.terminate();

        assertThat(PcscStack.statusWords(directory)).containsExactly("9000");
        assertThat(PcscStack.responseData(directory).get(0)).startsWith("6F")
                .contains(entry("01", "Lunch", 1), entry("02", "Rent", 2), entry("03", "Euro", 3))
                .as("smart selection: the PDOL asks for amount, currency, type, unpredictable number")
                .endsWith("9F380B9F02065F2A029C019F3704");
        assertThat(selected(lunch)).as("19.99 CNY: the default card").isEqualTo("77" + len(entry("01", "Lunch", 1)) + entry("01", "Lunch", 1));
        assertThat(selected(rent)).as("20.01 CNY: more than Lunch has").isEqualTo("77" + len(entry("02", "Rent", 2)) + entry("02", "Rent", 2));
        assertThat(selected(euro)).as("20.01 EUR: the only EUR card").isEqualTo("77" + len(entry("03", "Euro", 3)) + entry("03", "Euro", 3));
        assertThat(PcscStack.statusWords(tooMuch)).as("900.01 CNY: no card").containsExactly("9000", "9401");
        assertThat(PcscStack.statusWords(twice)).as("one GPO per SELECT PPSE").containsExactly("9000", "9000", "6985");
        assertThat(stopped).as("SIGTERM").isEqualTo(143);
        assertThat(sim.err()).contains("stopping; the card leaves");
        assertThat(pcsc.terminal().waitForCardAbsent(PcscStack.WAIT.toMillis())).isTrue();
    }

    @Test
    void aCardRemovedAfterItRanDebitIsRecoveredOnTheNextTapAndDebitedOnce() throws Exception {
        sim = SimProcess.start(pcsc, home, WALLET);
        Cli cli = cliTearingAtDebit(tearing -> {
            byte[] answer = tearing.reader.transceive(tearing.command); // the card debits...
            assertThat(answer).hasSize(10);
            sim.remove();                                               // ...and leaves before its answer is read
            throw tearing.nextCommandFails();
        });

        Cli.Run torn = nfcpay(cli, "pay", "--reader", "torn", "--amount", "12.00");
        Cli.Run pending = nfcpay("journal", "--pending", "--json");
        sim.insert();
        Cli.Run next = nfcpay("pay", "--reader", pcsc.readerName, "--amount", "1.00");
        Cli.Run cards = nfcpay("cards", "--reader", pcsc.readerName, "--json");

        assertThat(torn.singleError()).contains("the card left the field too early", "settled on that tap");
        assertThat(pending.json().getAsJsonArray("records")).hasSize(1);
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.out()).startsWith("settled first: a torn purchase of CNY 12.00 on Daily Wallet (journal #1): recovered")
                .contains("approved: CNY 1.00 paid by Daily Wallet", "balance after  CNY 2.00");
        assertThat(balances(cards.json().getAsJsonArray("cards"))).as("12.00 debited once, 1.00 once")
                .startsWith("1 Daily Wallet F000000824010101 2.00");
        assertThat(Cli.journal(data)).extracting(JournalRecord::state, r -> r.amount().format())
                .containsExactly(tuple(TransactionState.COMPLETED, "1.00"), tuple(TransactionState.RECOVERED, "12.00"));
        assertReconciled(cards, 1_500);
    }

    @Test
    void aCardRemovedBeforeDebitReachedItIsVoidedOnTheNextTapAndNeverDebited() throws Exception {
        sim = SimProcess.start(pcsc, home, WALLET);
        Cli cli = cliTearingAtDebit(tearing -> {
            sim.remove(); // the card leaves as the terminal sends DEBIT: pcscd answers SCARD_W_REMOVED_CARD
            tearing.reader.transceive(tearing.command);
            throw new AssertionError("DEBIT reached a card that was not there");
        });

        Cli.Run torn = nfcpay(cli, "pay", "--reader", "torn", "--amount", "12.00");
        sim.insert();
        Cli.Run next = nfcpay("pay", "--reader", pcsc.readerName, "--amount", "1.00", "--json");
        Cli.Run cards = nfcpay("cards", "--reader", pcsc.readerName, "--json");

        assertThat(torn.singleError()).contains("the card left the field");
        assertThat(next.exit()).as(next.err()).isZero();
        JsonObject recovery = next.json().getAsJsonArray("recoveries").get(0).getAsJsonObject();
        assertThat(recovery.get("state").getAsString()).isEqualTo("void");
        assertThat(recovery.get("amount").getAsString()).isEqualTo("12.00");
        assertThat(next.json().get("balance_after").getAsString()).isEqualTo("14.00");
        assertThat(Cli.journal(data)).extracting(JournalRecord::state, r -> r.amount().format())
                .containsExactly(tuple(TransactionState.COMPLETED, "1.00"), tuple(TransactionState.VOID, "12.00"));
        assertReconciled(cards, 1_500);
    }

    /**
     * The SIM's process dies (SIGKILL) while DEBIT is on its way: frozen first (SIGSTOP), so that
     * DEBIT waits in vpcd, then killed. pcscd then answers with an empty response (vpcd's answer to
     * a connection closed under a command), SCARD_E_NOT_TRANSACTED or SCARD_W_REMOVED_CARD,
     * depending on when vpcd notices: each must be a tear (one line, the purchase PENDING), never
     * "unexpected IllegalArgumentException" or a reader error.
     */
    @Test
    void aSimProcessThatDiesUnderDebitIsATearNotACrash() throws Exception {
        sim = SimProcess.start(pcsc, home, WALLET);
        List<Throwable> seen = new ArrayList<>();
        Cli cli = cliTearingAtDebit(tearing -> {
            boolean frozen = sim.freeze();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(frozen ? 300 : 0); // long enough for DEBIT to reach vpcd, which then waits
                    sim.kill();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "sim-killer");
            killer.start();
            try {
                tearing.reader.transceive(tearing.command);
            } catch (CardRemovedException e) {
                seen.add(e.getCause());
                throw e;
            } finally {
                killer.join();
            }
            throw new AssertionError("DEBIT reached a card whose process was killed");
        });

        Cli.Run torn = nfcpay(cli, "pay", "--reader", "torn", "--amount", "12.00");

        System.out.println("a SIM killed under DEBIT: the reader reported " + seen);
        assertThat(torn.singleError()).contains("the card left the field");
        assertThat(Cli.journal(data)).extracting(JournalRecord::state).containsExactly(TransactionState.PENDING);
    }

    // ------------------------------------------------------------------------------------------

    /** What the test does when the terminal sends DEBIT FOR PURCHASE through the real reader. */
    @FunctionalInterface
    interface AtDebit {
        byte[] tear(Tearing tearing) throws Exception;
    }

    /** The DEBIT being sent and the real reader under it. */
    record Tearing(byte[] command, Transport reader) {
        /** The card is gone: what the real reader says to the next command (it must be a tear). */
        CardRemovedException nextCommandFails() throws TransportException {
            try {
                reader.transceive(HEX.parseHex(SELECT_PPSE));
            } catch (CardRemovedException e) {
                return e;
            }
            throw new AssertionError("the card answered after it was removed");
        }
    }

    /** A reader "torn": the real vpcd reader, where the first DEBIT goes through {@code atDebit}. */
    private Cli cliTearingAtDebit(AtDebit atDebit) {
        boolean[] torn = {false};
        return new Cli(home).reader("torn", name -> {
            Transport real = Readers.open(pcsc.readerName);
            return new Transport() {
                @Override
                public byte[] transceive(byte[] command) throws TransportException {
                    if (torn[0] || Command.of(command) != Command.DEBIT_FOR_PURCHASE) {
                        return real.transceive(command);
                    }
                    torn[0] = true;
                    try {
                        return atDebit.tear(new Tearing(command, real));
                    } catch (TransportException | RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void close() throws TransportException {
                    real.close();
                }
            };
        });
    }

    /** Each card's loss equals the journal's COMPLETED and RECOVERED purchases on it: nothing debited twice or lost. */
    private void assertReconciled(Cli.Run cards, long dailyWalletOpeningMinor) throws Exception {
        long paid = 0;
        for (JournalRecord r : Cli.journal(data)) {
            assertThat(r.state()).as("nothing left pending").isNotEqualTo(TransactionState.PENDING);
            if (r.label().equals("Daily Wallet") && (r.state() == TransactionState.COMPLETED || r.state() == TransactionState.RECOVERED)) {
                paid += r.amount().minor();
            }
        }
        JsonObject daily = cards.json().getAsJsonArray("cards").get(0).getAsJsonObject();
        assertThat(Money.parse(daily.get("balance").getAsString(), Money.CNY).minor()).isEqualTo(dailyWalletOpeningMinor - paid);
    }

    /** "priority label aid balance" per card of a cards --json answer. */
    private static List<String> balances(JsonArray cards) {
        List<String> lines = new ArrayList<>();
        cards.forEach(c -> {
            JsonObject o = c.getAsJsonObject();
            lines.add(o.get("priority").getAsInt() + " " + o.get("label").getAsString() + " " + o.get("aid").getAsString()
                    + " " + o.get("balance").getAsString());
        });
        return lines;
    }

    /** GET PROCESSING OPTIONS on the PPSE with the smart-selection PDOL data (PROTOCOL.md 2.2), purchase. */
    private static String gpo(String amount12Digits, String currencyN3) {
        return "80A800000F830D" + amount12Digits + currencyN3 + "00" + "1122334400";
    }

    /** A directory entry: 4F AID, 50 label, 87 priority. */
    private static String entry(String index, String label, int priority) {
        String ascii = HEX.formatHex(label.getBytes(StandardCharsets.US_ASCII));
        return "4F08F0000008240101" + index + "50" + String.format("%02X", label.length()) + ascii + "8701"
                + String.format("%02X", priority);
    }

    private static String len(String hex) {
        return String.format("%02X", hex.length() / 2);
    }

    /** The GPO answer of a SELECT PPSE + GPO run, after checking both succeeded. */
    private static String selected(List<String> openscOutput) {
        assertThat(PcscStack.statusWords(openscOutput)).containsExactly("9000", "9000");
        return PcscStack.responseData(openscOutput).get(1);
    }

    /** A finished child process: exit code and what it printed. */
    record ChildRun(int exit, String out, String err) {}

    /** {@code nfcpay pay} as its own process, from the packaged jar, as people run it. */
    private ChildRun payInAChildProcess(String reader, String amount) throws Exception {
        Path out = Files.createTempFile(home, "pay", ".out");
        Path err = Files.createTempFile(home, "pay", ".err");
        ProcessBuilder pb = new ProcessBuilder(PcscStack.javaCommand(SimProcess.JAR.toString(), "nfcpay.cli.Main",
                "pay", "--reader", reader, "--amount", amount, "--data-dir", data.toString(), "--test-keys"))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            assertThat(p.waitFor(PcscStack.WAIT.toMillis() * 3, TimeUnit.MILLISECONDS)).as("nfcpay pay finished").isTrue();
            return new ChildRun(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
