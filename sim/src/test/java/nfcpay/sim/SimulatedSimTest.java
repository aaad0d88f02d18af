package nfcpay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.payneteasy.tlv.BerTag;
import com.payneteasy.tlv.BerTlv;
import com.payneteasy.tlv.BerTlvParser;
import com.payneteasy.tlv.BerTlvs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.link.Link;
import org.junit.jupiter.api.Test;

/** The whole simulated SIM: real selector, real purses, real load protocol. */
class SimulatedSimTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final BerTlvParser TLV = new BerTlvParser();

    @Test
    void defaultWalletListsThreeCardsByPriorityWithSmartSelectionPdol() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        BerTlvs fci = TLV.parse(selectPpse(sim).getData());
        List<String> labels = new ArrayList<>();
        for (BerTlv entry : fci.findAll(new BerTag(0x61))) {
            labels.add(new String(entry.find(new BerTag(0x50)).getBytesValue(), StandardCharsets.US_ASCII));
        }
        assertThat(labels).containsExactly("Daily Wallet", "Salary Card", "Travel Card");
        assertThat(HEX.formatHex(fci.find(new BerTag(0x9F, 0x38)).getBytesValue())).isEqualTo("9F02065F2A029C019F3704");
        assertThat(HEX.formatHex(fci.find(new BerTag(0x84)).getBytesValue())).isEqualTo(HEX.formatHex(SimAssembly.ppseAid()));
    }

    @Test
    void initialBalancesArriveThroughTheLoadProtocol() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
        assertThat(sim.balance("Salary Card")).isEqualTo(32_000);
        assertThat(sim.balance("Travel Card")).isEqualTo(150_000);
        // one load record in each log, with the loader's terminal ID
        CardApdus apdus = new CardApdus(CardPlatform.of(sim.cardSimulator()));
        apdus.select(sim.card("Salary Card").orElseThrow().aid(), "Salary Card");
        byte[] record = apdus.send(new CommandAPDU(0x00, 0xB2, 0x01, 0xC4, 256), "READ RECORD");
        assertThat(record).hasSize(23);
        assertThat(record[9]).isEqualTo((byte) 0x02);
        assertThat(HEX.formatHex(record, 5, 9)).isEqualTo("00007D00");
        assertThat(HEX.formatHex(record, 10, 16)).isEqualTo(HEX.formatHex(IssuerLoader.LOADER_TERMINAL_ID));
    }

    @Test
    void smartSelectionPaysWithTheDefaultCardThenAnotherThenDeclines() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        assertThat(chosenLabel(sim, "000000001200", "0156")).isEqualTo("Daily Wallet");
        assertThat(chosenLabel(sim, "000000002500", "0156")).isEqualTo("Salary Card");
        assertThat(chosenLabel(sim, "000000150000", "0156")).isEqualTo("Travel Card");
        assertThat(gpo(sim, "000000150001", "0156").getSW()).isEqualTo(0x9401);
    }

    /**
     * The same story on a SIM whose applets build the record's AES-CMAC from the AES block cipher, as on a card
     * without ALG_AES_CMAC_128 (Oracle's reference VM): the tags must be the ones the platform CMAC makes,
     * or no card would ever be authentic and every GPO would answer 9401.
     */
    @Test
    void smartSelectionWorksTheSameWithTheCmacBuiltFromTheBlockCipher() {
        SimulatedSim sim = SimulatedSim.builder().cmacFromBlockCipher()
                .card("Daily Wallet", 1_500).card("Salary Card", 32_000).card("Travel Card", 150_000).build();
        assertThat(chosenLabel(sim, "000000001200", "0156")).isEqualTo("Daily Wallet");
        assertThat(chosenLabel(sim, "000000002500", "0156")).isEqualTo("Salary Card");
        assertThat(chosenLabel(sim, "000000150000", "0156")).isEqualTo("Travel Card");
        assertThat(gpo(sim, "000000150001", "0156").getSW()).isEqualTo(0x9401);
    }

    @Test
    void gpoAnswerNeverCarriesABalance() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        ResponseAPDU r = gpo(sim, "000000002500", "0156");
        assertThat(r.getSW()).isEqualTo(0x9000);
        BerTlvs tlvs = TLV.parse(r.getData());
        BerTlv template = tlvs.find(new BerTag(0x77));
        assertThat(template.getValues()).extracting(t -> HEX.formatHex(t.getTag().bytes))
                .containsExactly("4F", "50", "87");
        assertThat(HEX.formatHex(r.getData())).doesNotContain("00007D00");
    }

    @Test
    void policiesChooseDifferentlyOnTheSameWallet() {
        assertThat(chosenLabel(wallet(SelectionPolicy.BEST_FIT), "000000000100", "0156")).isEqualTo("Daily Wallet");
        assertThat(chosenLabel(wallet(SelectionPolicy.MOST_FUNDS), "000000000100", "0156")).isEqualTo("Travel Card");
        assertThat(chosenLabel(wallet(SelectionPolicy.PRIORITY), "000000000100", "0156")).isEqualTo("Daily Wallet");
        SimulatedSim any = wallet(SelectionPolicy.ANY);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            seen.add(chosenLabel(any, "000000000100", "0156"));
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void aCardInAnotherCurrencyIsNeverChosen() {
        SimulatedSim sim = SimulatedSim.builder()
                .card("Euro Card", 900_000, Currency.getInstance("EUR"))
                .card("Yuan Card", 1_000)
                .build();
        assertThat(chosenLabel(sim, "000000000500", "0156")).isEqualTo("Yuan Card");
        assertThat(chosenLabel(sim, "000000000500", "0978")).isEqualTo("Euro Card");
        assertThat(gpo(sim, "000000002000", "0156").getSW()).isEqualTo(0x9401);
    }

    @Test
    void legacySimHasNoSmartSelection() {
        SimulatedSim sim = SimulatedSim.builder().card("Only Card", 100).legacy().build();
        BerTlvs fci = TLV.parse(selectPpse(sim).getData());
        assertThat(fci.find(new BerTag(0x9F, 0x38))).isNull();
        assertThat(fci.findAll(new BerTag(0x61))).hasSize(1);
        assertThat(gpo(sim, "000000000050", "0156").getSW()).isEqualTo(0x6D00);
    }

    @Test
    void aDeletedCardLeavesThePpseAndSelection() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        sim.cardSimulator().deleteApplet(com.licel.jcardsim.utils.AIDUtil.create(sim.card("Daily Wallet").orElseThrow().aidHex()));
        BerTlvs fci = TLV.parse(selectPpse(sim).getData());
        assertThat(fci.findAll(new BerTag(0x61))).hasSize(2);
        assertThat(chosenLabel(sim, "000000000100", "0156")).isEqualTo("Salary Card");
    }

    @Test
    void eachSimGetsItsOwnSerialsAndDistinctCardRandoms() {
        SimulatedSim a = SimulatedSim.defaultWallet();
        SimulatedSim b = SimulatedSim.defaultWallet();
        assertThat(a.cards().get(0).serial()).isNotEqualTo(b.cards().get(0).serial());
        assertThat(initializeRandom(a)).isNotEqualTo(initializeRandom(b));
        SimulatedSim fixed = SimulatedSim.builder().card("Fixed", 0).simId(0x0102030405060708L).build();
        assertThat(HEX.formatHex(fixed.cards().get(0).serial())).isEqualTo("86240203040506070801");
    }

    @Test
    void theTerminalApiReachesTheSameCard() throws Exception {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        assertThat(sim.terminal().isCardPresent()).isTrue();
        Card card = sim.terminal().connect("*");
        try {
            CardChannel channel = card.getBasicChannel();
            ResponseAPDU r = channel.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256));
            assertThat(r.getSW()).isEqualTo(0x9000);
        } finally {
            card.disconnect(true);
        }
    }

    @Test
    void sixteenCardsFitAndTheLastTwoShareTheLowestPriorityInInstallOrder() {
        SimulatedSim.Builder builder = SimulatedSim.builder();
        for (int i = 1; i <= SimulatedSim.MAX_CARDS; i++) {
            builder.card("Card " + i, 100L * i);
        }
        SimulatedSim sim = builder.build();
        assertThat(sim.cards()).extracting(SimCard::priority).endsWith(14, 15, 15);
        BerTlvs fci = TLV.parse(selectPpseChained(sim));
        List<String> labels = new ArrayList<>();
        for (BerTlv entry : fci.findAll(new BerTag(0x61))) {
            labels.add(new String(entry.find(new BerTag(0x50)).getBytesValue(), StandardCharsets.US_ASCII));
        }
        assertThat(labels).hasSize(16).endsWith("Card 15", "Card 16");
        assertThatThrownBy(() -> builder.card("Card 17", 1)).hasMessageContaining("at most 16");
    }

    @Test
    void builderRefusesWhatACardCannotHold() {
        assertThatThrownBy(() -> SimulatedSim.builder().build()).hasMessageContaining("at least one card");
        assertThatThrownBy(() -> SimulatedSim.builder().card("", 1)).hasMessageContaining("label");
        assertThatThrownBy(() -> SimulatedSim.builder().card("A label far too long", 1)).hasMessageContaining("label");
        assertThatThrownBy(() -> SimulatedSim.builder().card("A", -1)).hasMessageContaining("balance");
        assertThatThrownBy(() -> SimulatedSim.builder().card("A", 1).card("A", 2)).hasMessageContaining("two cards");
        assertThatThrownBy(() -> SimulatedSim.builder().card("A", 1L << 32, SimulatedSim.CNY, 1L << 32))
                .hasMessageContaining("balance");
    }

    private static SimulatedSim wallet(SelectionPolicy policy) {
        return SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000).policy(policy).build();
    }

    private static ResponseAPDU selectPpse(SimulatedSim sim) {
        ResponseAPDU r = sim.cardSimulator().transmitCommand(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256));
        assertThat(r.getSW()).isEqualTo(0x9000);
        return r;
    }

    /** SELECT PPSE with GET RESPONSE chaining (a 16-card directory is longer than 256 bytes). */
    private static byte[] selectPpseChained(SimulatedSim sim) {
        ResponseAPDU r = sim.cardSimulator().transmitCommand(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256));
        java.io.ByteArrayOutputStream fci = new java.io.ByteArrayOutputStream();
        fci.writeBytes(r.getData());
        while (r.getSW1() == 0x61) {
            r = sim.cardSimulator().transmitCommand(new CommandAPDU(0x00, 0xC0, 0x00, 0x00, r.getSW2() == 0 ? 256 : r.getSW2()));
            fci.writeBytes(r.getData());
        }
        assertThat(r.getSW()).isEqualTo(0x9000);
        return fci.toByteArray();
    }

    private static ResponseAPDU gpo(SimulatedSim sim, String amountN12, String currencyN3) {
        selectPpse(sim);
        byte[] data = HEX.parseHex("830D" + amountN12 + currencyN3 + "00" + "01020304");
        return sim.cardSimulator().transmitCommand(new CommandAPDU(0x80, 0xA8, 0x00, 0x00, data, 256));
    }

    private static String chosenLabel(SimulatedSim sim, String amountN12, String currencyN3) {
        ResponseAPDU r = gpo(sim, amountN12, currencyN3);
        assertThat(r.getSW()).as("GPO SW").isEqualTo(0x9000);
        BerTlv template = TLV.parse(r.getData()).find(new BerTag(0x77));
        return new String(template.find(new BerTag(0x50)).getBytesValue(), StandardCharsets.US_ASCII);
    }

    private static String initializeRandom(SimulatedSim sim) {
        CardApdus apdus = new CardApdus(CardPlatform.of(sim.cardSimulator()));
        apdus.select(sim.cards().get(0).aid(), "first card");
        byte[] r = apdus.send(new CommandAPDU(0x80, 0x50, 0x01, 0x02,
                HEX.parseHex("01" + "00000001" + "000000000002"), 0x0F), "INITIALIZE FOR PURCHASE");
        return HEX.formatHex(r, 11, 15);
    }
}
