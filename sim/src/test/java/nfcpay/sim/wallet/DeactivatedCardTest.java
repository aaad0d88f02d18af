package nfcpay.sim.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.HexFormat;
import javax.smartcardio.CommandAPDU;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import org.junit.jupiter.api.Test;

/**
 * A card the holder deactivated refuses contactless purchases itself (issue 14 item 2), not only by leaving the
 * PPSE: a terminal that SELECTs its AID directly over the contactless interface gets 6985 at INITIALIZE FOR PURCHASE,
 * over the contact interface it still pays, and once the holder activates it again it pays contactless too.
 */
class DeactivatedCardTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void aDeactivatedCardRefusesAContactlessPurchaseSelectedDirectly() {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).build();
        SimCard salary = sim.card("Salary Card").orElseThrow();
        HolderSession wallet = sim.holderSession();
        wallet.verify(SimulatedSim.DEFAULT_HOLDER_PIN.toCharArray());
        wallet.deactivate("Salary Card");

        assertThat(initializePurchase(sim, salary, "T=CL,TYPE_A,T1")).as("contactless, deactivated").isEqualTo(0x6985);
        assertThat(initializePurchase(sim, salary, "T=1")).as("contact: the holder's own use").isEqualTo(0x9000);
        assertThat(initializePurchase(sim, sim.card("Daily Wallet").orElseThrow(), "T=CL,TYPE_A,T1"))
                .as("the other card").isEqualTo(0x9000);

        wallet = sim.holderSession();
        wallet.verify(SimulatedSim.DEFAULT_HOLDER_PIN.toCharArray());
        wallet.activate("Salary Card");
        assertThat(initializePurchase(sim, salary, "T=CL,TYPE_A,T1")).as("contactless, active again").isEqualTo(0x9000);
    }

    /**
     * Issue 14 items 3 and 4: a registration starts new, and the purse refuses contactless purchases from it until
     * the holder activates it; here after a selector reinstall, where each purse registered again on its contact
     * SELECT. (Against a purse that stayed as it was, the direct contactless INITIALIZE answers 9000.)
     */
    @Test
    void aPurseThatRegisteredAgainRefusesContactlessUntilTheHolderActivatesIt() {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).build();
        SimCard daily = sim.card("Daily Wallet").orElseThrow();
        assertThat(initializePurchase(sim, daily, "T=CL,TYPE_A,T1")).as("approved at assembly").isEqualTo(0x9000);

        sim.reinstallSelector(true);
        assertThat(sim.holderSession().find("Daily Wallet").isNew()).isTrue();
        assertThat(initializePurchase(sim, daily, "T=CL,TYPE_A,T1")).as("new again").isEqualTo(0x6985);
        assertThat(initializePurchase(sim, daily, "T=CL,TYPE_B,T1")).as("new again, type B").isEqualTo(0x6985);

        HolderSession wallet = sim.holderSession();
        wallet.verify(SimulatedSim.DEFAULT_HOLDER_PIN.toCharArray());
        wallet.activate("Daily Wallet");
        assertThat(initializePurchase(sim, daily, "T=CL,TYPE_A,T1")).as("approved by the holder").isEqualTo(0x9000);
    }

    @Test
    void onATransportPinSimEveryCardStaysNewAndRefusesContactless() {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).transportPin().build();
        SimCard daily = sim.card("Daily Wallet").orElseThrow();
        assertThat(sim.holderSession().find("Daily Wallet").isNew()).isTrue();
        assertThat(initializePurchase(sim, daily, "T=CL,TYPE_A,T1")).isEqualTo(0x6985);
        assertThat(initializePurchase(sim, daily, "T=1")).as("contact: the holder's own use").isEqualTo(0x9000);
    }

    private static int initializePurchase(SimulatedSim sim, SimCard card, String protocol) {
        CardSimulator simulator = sim.cardSimulator();
        synchronized (simulator) {
            simulator.reset();
            simulator.changeProtocol(protocol);
            try {
                assertThat(simulator.transmitCommand(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, card.aid(), 256)).getSW())
                        .isEqualTo(0x9000);
                return simulator.transmitCommand(new CommandAPDU(0x80, 0x50, 0x01, 0x02,
                        HEX.parseHex("01" + "00000064" + "001122334455"), 0x0F)).getSW();
            } finally {
                simulator.changeProtocol("T=1");
            }
        }
    }
}
