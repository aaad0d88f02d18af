package nfcpay.sim.pcsc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The project's simulated SIM (real selector, real purses) behind pcscd, driven by opensc-tool,
 * a client nobody in this project wrote. Skipped, with the reason, without pcscd and vpcd.
 */
class SimulatedSimPcscIT {

    private static final String SELECT_PPSE = "00A404000E325041592E5359532E444446303100";
    private static final String AID_PREFIX = "F0000008240101";

    private static PcscStack pcsc;

    private SimulatedSim sim;
    private VpcdCard card;
    private CardTerminal terminal;

    @BeforeAll
    static void findAFreeVpcdSlot() throws Exception {
        pcsc = PcscStack.freeSlotOrSkip();
    }

    @BeforeEach
    void insertTheDemoWallet() throws Exception {
        sim = SimulatedSim.defaultWallet(); // 15.00, 320.00 and 1,500.00 CNY, priority order
        card = new VpcdCard(new CardSimulatorHandler(sim.cardSimulator()), pcsc.vpcdAddress(), l -> {}).start();
        terminal = pcsc.terminal();
        assertThat(terminal.waitForCardPresent(PcscStack.WAIT.toMillis())).isTrue();
    }

    @AfterEach
    void takeItOut() throws Exception {
        card.close();
        terminal.waitForCardAbsent(PcscStack.WAIT.toMillis());
    }

    /** GET PROCESSING OPTIONS on the PPSE with the smart-selection PDOL data (PROTOCOL.md 2.2). */
    private static String gpo(long amountMinor, String type) {
        return "80A800000F830D" + String.format("%012d", amountMinor) + "0156" + type + "1122334400";
    }

    @Test
    void openscListsTheCardsAndSmartSelectionPaysEachAmountWithTheRightOne() throws Exception {
        List<String> out = pcsc.opensc(SELECT_PPSE);
        assertThat(PcscStack.statusWords(out)).containsExactly("9000");
        String fci = PcscStack.responseData(out).get(0);
        assertThat(fci).startsWith("6F").contains(ascii("Daily Wallet"), ascii("Salary Card"), ascii("Travel Card"))
                .as("smart-selection PDOL").endsWith("9F380B9F02065F2A029C019F3704");

        assertSelects(1_000, "01");    // 10.00: the default card covers it
        assertSelects(20_000, "02");   // 200.00: only 15.00 on the default card
        assertSelects(50_000, "03");   // 500.00: only the travel card
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, gpo(200_000, "00"))).containsExactly("9000", "9401");
    }

    private void assertSelects(long amountMinor, String index) throws Exception {
        List<String> out = pcsc.opensc(SELECT_PPSE, gpo(amountMinor, "00"));
        assertThat(PcscStack.statusWords(out)).containsExactly("9000", "9000");
        SimCard chosen = sim.cards().get(Integer.parseInt(index) - 1);
        String entry = "4F08" + chosen.aidHex() + "50" + String.format("%02X", chosen.label().length()) + ascii(chosen.label())
                + "8701" + String.format("%02X", chosen.priority());
        assertThat(chosen.aidHex()).isEqualTo(AID_PREFIX + index);
        assertThat(PcscStack.responseData(out).get(1)).as("GPO for %d fen: the chosen card, never a balance", amountMinor)
                .isEqualTo("77" + String.format("%02X", entry.length() / 2) + entry);
    }

    private static String ascii(String text) {
        return TestCards.hex(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void openscSeesTheSelectorsErrorStatusWords() throws Exception {
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, gpo(1_000, "00"), gpo(1_000, "00")))
                .as("one GPO per SELECT").containsExactly("9000", "9000", "6985");
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, gpo(1_000, "01"))).as("not a purchase").containsExactly("9000", "6A81");
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, gpo(0, "00"))).as("zero amount").containsExactly("9000", "6A80");
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, "80A800000E830D00000000100001560011223344"))
                .as("Lc not 2 + L(83)").containsExactly("9000", "6700");
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, "80A80100" + gpo(1_000, "00").substring(8)))
                .as("P1").containsExactly("9000", "6A86");
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, "80EE000000")).as("unknown INS").containsExactly("9000", "6D00");
        assertThat(pcsc.openscStatusWords(SELECT_PPSE, "8460000000")).as("INS 6X, screened").containsExactly("9000", "6D00");
    }

    @Test
    void aRemovedAndReinsertedSimStillSelectsAndMeasuresATap() throws Exception {
        card.remove();
        assertThat(terminal.waitForCardAbsent(PcscStack.WAIT.toMillis())).isTrue();
        card.insert();
        assertThat(terminal.waitForCardPresent(PcscStack.WAIT.toMillis())).isTrue();

        int taps = 200;
        Card c = terminal.connect("*");
        try {
            CardChannel channel = c.getBasicChannel();
            CommandAPDU select = new CommandAPDU(TestCards.hex(SELECT_PPSE));
            CommandAPDU gpo = new CommandAPDU(TestCards.hex(gpo(20_000, "00")));
            long start = System.nanoTime();
            for (int i = 0; i < taps; i++) {
                assertThat(channel.transmit(select).getSW()).isEqualTo(0x9000);
                ResponseAPDU chosen = channel.transmit(gpo);
                assertThat(chosen.getSW()).isEqualTo(0x9000);
                assertThat(TestCards.hex(chosen.getData())).contains("F000000824010102");
            }
            System.out.printf("SELECT PPSE + smart-selection GPO through pcscd: mean %.3f ms per pair over %d taps%n",
                    (System.nanoTime() - start) / 1e6 / taps, taps);
        } finally {
            c.disconnect(false);
        }
        synchronized (sim.cardSimulator()) { // the card is still in the reader: hold jcardsim's monitor
            assertThat(sim.balance("Salary Card")).isEqualTo(32_000);
        }
    }
}
