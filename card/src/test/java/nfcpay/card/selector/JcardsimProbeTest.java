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

/** Pins the jcardsim behaviours the selector's response chaining and length checks rely on. */
class JcardsimProbeTest {

    /** Sends 10 bytes and then throws 6105, or echoes (received, Lc) for INS 02. */
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
            if (buf[1] == 0x01) {
                Util.arrayFillNonAtomic(buf, (short) 0, (short) 10, (byte) 0x5A);
                apdu.setOutgoingAndSend((short) 0, (short) 10);
                ISOException.throwIt((short) 0x6105);
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
}
