package nfcpay.card.selector;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISOException;
import javacard.framework.Util;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.api.Test;

/** Pins the jcardsim behaviours the selector's response chaining, length and interface checks rely on. */
class JcardsimProbeTest {

    /**
     * INS 01/04: sends 10 bytes and then throws 6105/6310; INS 02 echoes (received, Lc); INS 03 answers
     * {@code APDU.getProtocol()}.
     */
    public static final class ProbeApplet extends Applet {
        public static void install(byte[] b, short off, byte len) {
            new ProbeApplet().register();
        }

        @Override
        public void process(APDU apdu) {
            if (selectingApplet()) {
                return;
            }
            byte[] buf = apdu.getBuffer();
            if (buf[1] == 0x03) {
                buf[0] = APDU.getProtocol();
                apdu.setOutgoingAndSend((short) 0, (short) 1);
                return;
            }
            byte ins = buf[1];
            if (ins == 0x01 || ins == 0x04) {
                Util.arrayFillNonAtomic(buf, (short) 0, (short) 10, (byte) 0x5A);
                apdu.setOutgoingAndSend((short) 0, (short) 10);
                ISOException.throwIt(ins == 0x01 ? (short) 0x6105 : (short) 0x6310);
            }
            short received = apdu.setIncomingAndReceive();
            short lc = apdu.getIncomingLength();
            Util.setShort(buf, (short) 0, received);
            Util.setShort(buf, (short) 2, lc);
            apdu.setOutgoingAndSend((short) 0, (short) 4);
        }
    }

    private static final AID PROBE = AIDUtil.create("F0000000AA01");

    private static CardSimulator probe() {
        CardSimulator sim = new CardSimulator();
        sim.installApplet(PROBE, ProbeApplet.class);
        sim.selectApplet(PROBE);
        return sim;
    }

    @Test
    void dataSentBeforeA61xxStatusWordReachesTheTerminal() {
        ResponseAPDU r = probe().transmitCommand(new CommandAPDU(0x00, 0x01, 0, 0, 256));
        assertThat(r.getSW()).isEqualTo(0x6105);
        assertThat(r.getData()).hasSize(10).containsOnly((byte) 0x5A);
    }

    @Test
    void setIncomingAndReceiveReturnsZeroWithoutCommandData() {
        CardSimulator sim = probe();
        assertThat(sim.transmitCommand(new CommandAPDU(0x80, 0x02, 0, 0)).getData()).containsExactly(0, 0, 0, 0);
        assertThat(sim.transmitCommand(new CommandAPDU(0x80, 0x02, 0, 0, 256)).getData()).containsExactly(0, 0, 0, 0);
        assertThat(sim.transmitCommand(new CommandAPDU(0x80, 0x02, 0, 0, new byte[3])).getData())
                .containsExactly(0, 3, 0, 3);
    }

    private static int protocol(CardSimulator sim) {
        ResponseAPDU r = sim.transmitCommand(new CommandAPDU(0x80, 0x03, 0, 0, 1));
        assertThat(r.getSW()).isEqualTo(0x9000);
        return r.getData()[0] & 0xFF;
    }

    /**
     * What {@code APDU.getProtocol()} reports (docs/protocol.md 5.1): 0 (contact, T=0) by default;
     * {@code changeProtocol} sets the media bits for every later command and survives a reset; a
     * {@code CardTerminalSimulator} connection's protocol applies to its own transmissions only.
     */
    @Test
    void getProtocolReportsWhatTheSimulatorOrTheTerminalConnectionSays() throws Exception {
        CardSimulator sim = probe();
        assertThat(protocol(sim)).isEqualTo(0x00);
        String[][] expected = {
            {"T=CL,TYPE_A,T1", "81"}, {"T=CL,TYPE_B,T1", "91"}, {"T=CL,TYPE_A,T0", "80"}, {"T=CL", "80"},
            {"T=1", "01"}, {"T=0", "00"}, {"*", "00"},
        };
        for (String[] e : expected) {
            sim.changeProtocol(e[0]);
            assertThat(protocol(sim)).as(e[0]).isEqualTo(Integer.parseInt(e[1], 16));
            sim.reset();
            sim.selectApplet(PROBE);
            assertThat(protocol(sim)).as(e[0] + " after reset").isEqualTo(Integer.parseInt(e[1], 16));
        }
        sim.changeProtocol("T=0");
        javax.smartcardio.CardTerminal terminal = com.licel.jcardsim.smartcardio.CardTerminalSimulator.terminal(sim);
        String[][] connections = {{"T=CL", "80"}, {"T=1", "01"}, {"T=0", "00"}, {"*", "00"}};
        for (String[] e : connections) {
            javax.smartcardio.Card card = terminal.connect(e[0]);
            javax.smartcardio.CardChannel channel = card.getBasicChannel();
            channel.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SelectorFixture.bytes(PROBE)));
            ResponseAPDU r = channel.transmit(new CommandAPDU(0x80, 0x03, 0, 0, 1));
            assertThat(r.getData()[0] & 0xFF).as("connected with " + e[0]).isEqualTo(Integer.parseInt(e[1], 16));
            assertThat(protocol(sim)).as("direct, after a " + e[0] + " connection").isZero();
            card.disconnect(false);
        }
    }

    /** An Amd C style warning with data: jcardsim returns the bytes sent before a 6310, as for 61xx. */
    @Test
    void dataSentBeforeA6310StatusWordReachesTheTerminal() {
        ResponseAPDU r = probe().transmitCommand(new CommandAPDU(0x00, 0x04, 0, 0, 256));
        assertThat(r.getSW()).isEqualTo(0x6310);
        assertThat(r.getData()).hasSize(10).containsOnly((byte) 0x5A);
    }
}
