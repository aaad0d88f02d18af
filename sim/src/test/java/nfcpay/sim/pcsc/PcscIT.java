package nfcpay.sim.pcsc;

import static nfcpay.sim.pcsc.TestCards.INCREMENT;
import static nfcpay.sim.pcsc.TestCards.SELECT_COUNTER;
import static nfcpay.sim.pcsc.TestCards.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The virtual card behind the REAL PC/SC stack: pcscd with vsmartcard-vpcd, reached through
 * javax.smartcardio's default provider and through OpenSC's {@code opensc-tool}, serving a small
 * test applet. Skipped, with the reason, when vpcd does not listen on 127.0.0.1:35963
 * ({@code scripts/pcsc-up.sh} sets it up).
 */
class PcscIT {

    private static final Duration WAIT = PcscStack.WAIT;

    private static PcscStack pcsc;
    private static String readerName;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private CardSimulator simulator;
    private VpcdCard card;
    private CardTerminal terminal;

    @BeforeAll
    static void findAFreeVpcdSlot() throws Exception {
        pcsc = PcscStack.freeSlotOrSkip();
        readerName = pcsc.readerName;
    }

    @BeforeEach
    void insertAFreshCard() throws Exception {
        simulator = TestCards.counterCard();
        card = new VpcdCard(new CardSimulatorHandler(simulator), pcsc.vpcdAddress(), log::add).start();
        terminal = pcsc.terminal();
        assertThat(terminal.waitForCardPresent(WAIT.toMillis())).as("pcscd sees the card in " + readerName).isTrue();
    }

    @AfterEach
    void takeTheCardOut() throws Exception {
        if (card != null) {
            card.close();
            terminal.waitForCardAbsent(WAIT.toMillis());
        }
    }

    @Test
    void javaxSmartcardioSelectsTheAppletAndPcscdResetsKeepPersistentState() throws Exception {
        Card c = terminal.connect("*");
        try {
            assertThat(c.getATR().getBytes()).isEqualTo(simulator.getATR());
            CardChannel channel = c.getBasicChannel();
            assertThat(channel.transmit(new CommandAPDU(hex(SELECT_COUNTER))).getSW()).isEqualTo(0x9000);
            assertThat(hex(channel.transmit(new CommandAPDU(hex(INCREMENT))).getBytes())).isEqualTo("000100019000");
        } finally {
            c.disconnect(true); // SCARD_RESET_CARD: pcscd resets the card through vpcd
        }
        c = terminal.connect("*");
        try {
            CardChannel channel = c.getBasicChannel();
            assertThat(channel.transmit(new CommandAPDU(hex(INCREMENT))).getSW()).as("reset deselected the applet").isEqualTo(0x6986);
            channel.transmit(new CommandAPDU(hex(SELECT_COUNTER)));
            assertThat(hex(channel.transmit(new CommandAPDU(hex(INCREMENT))).getBytes())).isEqualTo("000200019000");
        } finally {
            c.disconnect(false);
        }
    }

    @Test
    void malformedCommandsThroughPcscdGetStatusWords() throws Exception {
        Card c = terminal.connect("*");
        try {
            CardChannel channel = c.getBasicChannel();
            channel.transmit(new CommandAPDU(hex(SELECT_COUNTER)));
            assertThat(rawTransmit(channel, "80200000051122")).as("Lc 5 with 2 bytes").isEqualTo("6700");
            assertThat(rawTransmit(channel, "8020000000000311")).as("extended Lc 3 with 1 byte").isEqualTo("6700");
            assertThat(rawTransmit(channel, "80600000")).as("INS 6X").isEqualTo("6D00");
            assertThat(rawTransmit(channel, "FFCA000000")).as("reader pseudo-APDU").isEqualTo("6E00");
            assertThat(hex(channel.transmit(new CommandAPDU(hex(INCREMENT))).getBytes())).isEqualTo("000100019000");
        } finally {
            c.disconnect(false);
        }
        assertThat(log).filteredOn(l -> l.contains("malformed command")).hasSize(4);
    }

    @Test
    void openscToolSelectsAndGetsErrorStatusWords() throws Exception {
        List<String> sws = pcsc.openscStatusWords(SELECT_COUNTER, INCREMENT, "80300000", "80600000", "FFCA000000");
        assertThat(sws).containsExactly("9000", "9000", "6D00", "6D00", "6E00");
    }

    @Test
    void openscToolReachesTheCardAgainAfterItsSocketIsDropped() throws Exception {
        assertThat(pcsc.openscStatusWords(SELECT_COUNTER, INCREMENT)).containsExactly("9000", "9000");

        card.dropConnection(); // what the card sees when pcscd restarts
        assertThat(card.awaitState(VpcdCard.State.CONNECTING, WAIT)).isTrue();
        assertThat(card.awaitState(VpcdCard.State.CONNECTED, WAIT)).isTrue();
        assertThat(terminal.waitForCardPresent(WAIT.toMillis())).isTrue();

        List<String> out = pcsc.opensc(SELECT_COUNTER, INCREMENT);
        assertThat(PcscStack.statusWords(out)).containsExactly("9000", "9000");
        assertThat(String.join("\n", out)).as("persistent count 2 survived, transient count restarted").contains("00 02 00 01");
        assertThat(card.connectionCount()).isEqualTo(2);
    }

    @Test
    void removalAndReinsertionAreSeenByPcscdAndKeepTheCardsState() throws Exception {
        assertThat(pcsc.openscStatusWords(SELECT_COUNTER, INCREMENT)).containsExactly("9000", "9000");

        card.remove();
        assertThat(terminal.waitForCardAbsent(WAIT.toMillis())).isTrue();
        card.insert();
        assertThat(terminal.waitForCardPresent(WAIT.toMillis())).isTrue();

        assertThat(String.join("\n", pcsc.opensc(SELECT_COUNTER, INCREMENT))).contains("00 02 00 01");
    }

    @Test
    void anApplicationConnectedDuringRemovalGetsRemovedCardNotAHalfAnswer() throws Exception {
        Card c = terminal.connect("*");
        try {
            CardChannel channel = c.getBasicChannel();
            channel.transmit(new CommandAPDU(hex(SELECT_COUNTER)));
            assertThat(hex(channel.transmit(new CommandAPDU(hex(INCREMENT))).getBytes())).isEqualTo("000100019000");

            card.remove();
            assertThat(card.awaitState(VpcdCard.State.REMOVED, WAIT)).isTrue();
            assertThatThrownBy(() -> channel.transmit(new CommandAPDU(hex(INCREMENT))))
                    .isInstanceOf(CardException.class).hasMessageContaining("SCARD_W_REMOVED_CARD");
        } finally {
            c.disconnect(false);
        }
        card.insert();
        assertThat(terminal.waitForCardPresent(WAIT.toMillis())).isTrue();
        Card again = terminal.connect("*");
        try {
            CardChannel channel = again.getBasicChannel();
            channel.transmit(new CommandAPDU(hex(SELECT_COUNTER)));
            assertThat(hex(channel.transmit(new CommandAPDU(hex(INCREMENT))).getBytes())).isEqualTo("000200019000");
        } finally {
            again.disconnect(false);
        }
    }

    @Test
    void measuresTheMeanRoundTripThroughPcscd() throws Exception {
        int n = 2_000;
        Card c = terminal.connect("*");
        try {
            CardChannel channel = c.getBasicChannel();
            channel.transmit(new CommandAPDU(hex(SELECT_COUNTER)));
            CommandAPDU increment = new CommandAPDU(hex(INCREMENT));
            for (int i = 0; i < 50; i++) {
                channel.transmit(increment); // warm-up: JIT, pcscd's buffers
            }
            int ok = 0;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ResponseAPDU r = channel.transmit(increment);
                ok += r.getSW() == 0x9000 ? 1 : 0;
            }
            double meanMillis = (System.nanoTime() - start) / 1e6 / n;
            System.out.printf("PC/SC round trip through pcscd and vpcd (%s): mean %.3f ms over %d APDUs (target < 0.5 ms)%n",
                    readerName, meanMillis, n);
            assertThat(ok).isEqualTo(n);
            ResponseAPDU last = channel.transmit(increment);
            assertThat(last.getData()[0] << 8 | last.getData()[1] & 0xFF).isEqualTo(50 + n + 1);
        } finally {
            c.disconnect(false);
        }
    }

    @Test
    void theStandaloneRunnerPrintsItsReaderTakesPresenceCommandsAndStopsOnSigterm() throws Exception {
        card.close(); // the child JVM takes the slot
        assertThat(terminal.waitForCardAbsent(WAIT.toMillis())).isTrue();
        card = null;

        Path output = Files.createTempFile("vpcd-main", ".log");
        Process child = null;
        try {
            child = new ProcessBuilder(PcscStack.childJavaCommand("nfcpay.sim.pcsc.VpcdMain", "--vpcd", PcscStack.HOST + ":" + pcsc.port,
                    "--applet", CounterApplet.AID_HEX + "=" + CounterApplet.class.getName()))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            Writer stdin = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            assertThat(terminal.waitForCardPresent(WAIT.toMillis())).isTrue();
            // The line comes once vpcd has the card, which pcscd may report a moment before it is printed.
            assertThat(awaitText(output, "card ready in reader \"" + readerName + "\"")).contains("card ready in reader \"" + readerName + "\"");

            stdin.write("remove\n");
            stdin.flush();
            assertThat(terminal.waitForCardAbsent(WAIT.toMillis())).isTrue();
            stdin.write("insert\n");
            stdin.flush();
            assertThat(terminal.waitForCardPresent(WAIT.toMillis())).isTrue();

            child.destroy(); // SIGTERM
            assertThat(child.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(child.exitValue()).isEqualTo(143);
            assertThat(Files.readString(output)).contains("card removed", "card inserted", "stopping; the card leaves");
            assertThat(terminal.waitForCardAbsent(WAIT.toMillis())).isTrue();
        } finally {
            if (child != null) {
                ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.deleteIfExists(output);
        }
    }

    /** Sends raw bytes, bypassing CommandAPDU's own checks, and returns the whole response in hex. */
    private static String rawTransmit(CardChannel channel, String apdu) throws CardException {
        ByteBuffer response = ByteBuffer.allocate(258);
        int n = channel.transmit(ByteBuffer.wrap(hex(apdu)), response);
        byte[] bytes = new byte[n];
        response.flip().get(bytes);
        return hex(bytes);
    }

    /** The file's text once it contains {@code text}, or as it is after {@link #WAIT}. */
    private static String awaitText(Path file, String text) throws java.io.IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String now = Files.readString(file);
        while (!now.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = Files.readString(file);
        }
        return now;
    }
}
