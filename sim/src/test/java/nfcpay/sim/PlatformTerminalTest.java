package nfcpay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.HexFormat;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.pcsc.PlatformHandler;
import org.junit.jupiter.api.Test;

/**
 * A SIM assembled through the generic {@link CardPlatform} path ({@link SimulatedSim.Builder#build(CardPlatform)}),
 * reached through {@link PlatformTerminal} and {@link PlatformHandler}: the path the reference VM takes, here over
 * jcardsim's platform so it runs in the fast tier.
 */
class PlatformTerminalTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void aSimBuiltOnAPlatformPaysThroughTheGenericReader() throws Exception {
        CardSimulator simulator = new CardSimulator();
        try (SimulatedSim sim = SimulatedSim.builder().card("Low", 1_000).card("High", 90_000)
                .build(CardPlatform.of(simulator))) {
            assertThat(sim.terminal()).isInstanceOf(PlatformTerminal.class);
            Card card = sim.terminal().connect("*");
            CardChannel channel = card.getBasicChannel();
            assertThat(channel.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256)).getSW())
                    .isEqualTo(0x9000);
            ResponseAPDU gpo = channel.transmit(new CommandAPDU(0x80, 0xA8, 0x00, 0x00,
                    HEX.parseHex("830D" + "000000005000" + "0156" + "00" + "01020304"), 256));
            assertThat(gpo.getSW()).isEqualTo(0x9000);
            assertThat(HEX.formatHex(gpo.getData())).contains("F000000824010102");
            card.disconnect(true);
            assertThat(sim.balance("High")).isEqualTo(90_000);
            assertThat(sim.holderSession().list()).hasSize(2);
            assertThatThrownBy(sim::cardSimulator).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void thePlatformHandlerServesTheSameCard() {
        CardSimulator simulator = new CardSimulator();
        try (SimulatedSim sim = SimulatedSim.builder().card("Only", 500).build(CardPlatform.of(simulator))) {
            PlatformHandler handler = new PlatformHandler(sim.platform(), sim.lock());
            assertThat(handler.atr()).isEqualTo(simulator.getATR());
            byte[] select = new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256).getBytes();
            byte[] answer = handler.transmit(select);
            assertThat(HEX.formatHex(answer)).endsWith("9000");
            handler.reset();
        }
    }

    @Test
    void aPlatformThatFailsIsALostCardToTheReader() throws Exception {
        CardPlatform dead = new CardPlatform() {
            @Override
            public void install(byte[] aid, Class<? extends javacard.framework.Applet> applet, byte[] parameters) {
                throw new IllegalStateException("not used");
            }

            @Override
            public ResponseAPDU transmit(CommandAPDU command) {
                throw new IllegalStateException("cref exited");
            }

            @Override
            public void reset() {
            }
        };
        Card card = new PlatformTerminal(dead, new Object(), "dead").connect("T=1");
        assertThatThrownBy(() -> card.getBasicChannel().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, 1)))
                .isInstanceOf(CardException.class).hasMessageContaining("cref exited");
        assertThatThrownBy(() -> new PlatformTerminal(dead, new Object(), "dead").connect("T=0"))
                .isInstanceOf(CardException.class);
    }
}
