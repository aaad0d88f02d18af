package nfcpay.sim.pcsc;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.util.HexFormat;

/** Fresh jcardsim cards with the test applet, and hex helpers. */
final class TestCards {

    static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final String SELECT_COUNTER = "00A40400" + String.format("%02X", CounterApplet.AID_HEX.length() / 2) + CounterApplet.AID_HEX;
    static final String INCREMENT = "8010000004";

    private TestCards() {}

    /** A new card with {@link CounterApplet} installed (GlobalPlatform parameters Li AID | 00 | 00). */
    static CardSimulator counterCard() {
        byte[] aid = HEX.parseHex(CounterApplet.AID_HEX);
        byte[] params = new byte[aid.length + 3];
        params[0] = (byte) aid.length;
        System.arraycopy(aid, 0, params, 1, aid.length);
        CardSimulator simulator = new CardSimulator();
        simulator.installApplet(AIDUtil.create(aid), CounterApplet.class, params, (short) 0, (byte) params.length);
        return simulator;
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
