package nfcpay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javacard.framework.Applet;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.purse.PurseApplet;
import nfcpay.card.selector.SelectorApplet;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.sim.wallet.WalletCard;
import org.junit.jupiter.api.Test;

/**
 * The selector under an AID of its own, as on a SIM whose contactless registry (GlobalPlatform Amd C CRS)
 * owns "2PAY.SYS.DDF01" (docs/card.md "Living with a contactless registry (CRS)"): the SIM assembly installs
 * it there and hands that AID to every purse as its install parameters.
 *
 * <p>The tests named {@code ...OnTheCard...} need the purse to take its selector's AID as an install parameter
 * (issue 14, the card side): until {@code PurseApplet} does, its install refuses the parameter and they are
 * skipped with that message, never passed.
 */
class SelectorAidTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** nfcpay's selector under the demo RID: F000000824 00 01. */
    static final byte[] OWN_AID = HEX.parseHex("F0000008240001");

    @Test
    void theDefaultIsThePpseAndPursesGetNoParameters() {
        assertThat(HEX.formatHex(SimAssembly.ppseAid())).isEqualTo("325041592E5359532E4444463031");
        assertThat(new SimAssembly(IssuerMasterKeys.TEST, Clock.systemUTC()).selectorAid()).isEqualTo(SimAssembly.ppseAid());
        assertThat(SimAssembly.purseInstallParameters(SimAssembly.ppseAid())).isEmpty();
        assertThat(SimulatedSim.builder().card("Daily Wallet", 100).build().selectorAid()).isEqualTo(SimAssembly.ppseAid());
    }

    @Test
    void anotherSelectorAidIsEveryPursesInstallParameter() {
        assertThat(SimAssembly.purseInstallParameters(OWN_AID)).isEqualTo(OWN_AID);

        Recording card = new Recording(CardPlatform.of(new CardSimulator()));
        SimAssembly.installSelector(card, OWN_AID, false, SelectionPolicy.PRIORITY, "1234".getBytes(StandardCharsets.US_ASCII),
                false);
        SimAssembly assembly = new SimAssembly(IssuerMasterKeys.TEST, Clock.systemUTC(), OWN_AID);
        SimCard purse = SimAssembly.purse(1L, 1, 1, "Daily Wallet", SimulatedSim.CNY, SimulatedSim.DEFAULT_MAX_BALANCE);
        catchThrowable(() -> assembly.installPurse(card, purse, 0)); // what the purse makes of it is the card's business

        assertThat(card.installs).extracting(Install::applet).startsWith(SelectorApplet.class, PurseApplet.class);
        assertThat(card.installs.get(0).aid()).isEqualTo(OWN_AID);
        assertThat(card.installs.get(1).aid()).isEqualTo(purse.aid());
        byte[] purseParameters = card.installs.get(1).parameters();
        // Personalization key version | KPERSO (docs/protocol.md 3.4), then the selector's AID.
        assertThat(Arrays.copyOfRange(purseParameters, 17, purseParameters.length))
                .as("the purse is told where its selector is").isEqualTo(OWN_AID);
    }

    @Test
    void aSelectorUnderItsOwnAidAnswersThereAndThePpseAidIsLeftToTheRegistry() {
        CardSimulator simulator = new CardSimulator();
        SimAssembly.installSelector(CardPlatform.of(simulator), OWN_AID, false, SelectionPolicy.PRIORITY,
                "1234".getBytes(StandardCharsets.US_ASCII), false);

        // jcardsim answers 6999 to a SELECT of an AID it does not know with nothing selected
        assertThat(select(simulator, SimAssembly.ppseAid()).getSW()).as("nothing of nfcpay's at 2PAY.SYS.DDF01")
                .isIn(0x6A82, 0x6999);
        ResponseAPDU own = select(simulator, OWN_AID);
        assertThat(own.getSW()).as("no purse registered yet").isEqualTo(0x6A82);
        assertThat(simulator.transmitCommand(new CommandAPDU(HEX.parseHex("80CA00A500"))).getSW())
                .as("but the selector is selected: GET DATA A5 over contact").isEqualTo(0x9000);
    }

    @Test
    void aSelectorAidHasFiveToSixteenBytes() {
        assertThatThrownBy(() -> SimulatedSim.builder().selectorAid(new byte[4])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 to 16 bytes");
        assertThatThrownBy(() -> SimulatedSim.builder().selectorAid(new byte[17])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SimAssembly(IssuerMasterKeys.TEST, Clock.systemUTC(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onTheCardThePursesRegisterWithTheSelectorUnderItsOwnAidAndItSelects() {
        assumeTrue(purseTakesASelectorAid(), "PurseApplet does not take its selector's AID as an install parameter yet"
                + " (issue 14, card side): this test waits for it");
        SimulatedSim sim = SimulatedSim.builder().selectorAid(OWN_AID).card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .build();
        CardSimulator card = sim.cardSimulator();

        assertThat(select(card, SimAssembly.ppseAid()).getSW()).isIn(0x6A82, 0x6999);
        ResponseAPDU fci = select(card, OWN_AID);
        assertThat(fci.getSW()).isEqualTo(0x9000);
        String hex = HEX.formatHex(fci.getData());
        assertThat(hex).startsWith("6F").contains("8407" + HEX.formatHex(OWN_AID), "4F08F000000824010101", "4F08F000000824010102",
                "9F380B");
        ResponseAPDU gpo = card.transmitCommand(new CommandAPDU(0x80, 0xA8, 0x00, 0x00,
                HEX.parseHex("830D" + "000000002000" + "0156" + "00" + "01020304"), 256));
        assertThat(gpo.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(gpo.getData())).contains("4F08F000000824010102"); // 20.00: more than Daily Wallet holds
        assertThat(sim.holderSession().list()).extracting(WalletCard::label).containsExactly("Daily Wallet", "Salary Card");
    }

    /** Whether this checkout's purse installs with a selector AID as its parameters (the card side of item 7). */
    static boolean purseTakesASelectorAid() {
        try {
            byte[] params = new byte[17 + OWN_AID.length];
            System.arraycopy(OWN_AID, 0, params, 17, OWN_AID.length);
            CardPlatform.of(new CardSimulator()).install(HEX.parseHex("F000000824010101"), PurseApplet.class, params);
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    private static ResponseAPDU select(CardSimulator card, byte[] aid) {
        return card.transmitCommand(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, aid, 256));
    }

    record Install(byte[] aid, Class<? extends Applet> applet, byte[] parameters) {}

    /** Records every install (parameters copied before the platform wipes them) and passes it on. */
    static final class Recording implements CardPlatform {
        final List<Install> installs = new ArrayList<>();
        private final CardPlatform inner;

        Recording(CardPlatform inner) {
            this.inner = inner;
        }

        @Override
        public void install(byte[] aid, Class<? extends Applet> applet, byte[] parameters) {
            installs.add(new Install(aid.clone(), applet, parameters.clone()));
            inner.install(aid, applet, parameters);
        }

        @Override
        public ResponseAPDU transmit(CommandAPDU command) {
            return inner.transmit(command);
        }

        @Override
        public void reset() {
            inner.reset();
        }
    }
}
