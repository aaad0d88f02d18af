package nfcpay.sim.pcsc;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * A test-only applet with one persistent and one transient counter, so that the tests can tell a
 * card reset (transient cleared, persistent kept) from a lost card (both gone). Nothing of the
 * virtual reader depends on the project's applets.
 */
public final class CounterApplet extends Applet {

    /** Test AID, outside the project's wallet range. */
    static final String AID_HEX = "F0000008249901";

    static final byte INS_INCREMENT = (byte) 0x10;
    static final byte INS_ECHO = (byte) 0x20;

    private short persistentCount;
    private final short[] transientCount;

    private CounterApplet() {
        transientCount = JCSystem.makeTransientShortArray((short) 1, JCSystem.CLEAR_ON_RESET);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new CounterApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    @Override
    public void process(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        if (selectingApplet()) {
            return;
        }
        if (buffer[ISO7816.OFFSET_CLA] != (byte) 0x80) {
            ISOException.throwIt(ISO7816.SW_CLA_NOT_SUPPORTED);
        }
        switch (buffer[ISO7816.OFFSET_INS]) {
            case INS_INCREMENT:
                processIncrement(apdu);
                break;
            case INS_ECHO:
                processEcho(apdu);
                break;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    /** 80 10 00 00 04: both counters up by one; answers persistent | transient. */
    private void processIncrement(APDU apdu) {
        persistentCount++;
        transientCount[0]++;
        byte[] buffer = apdu.getBuffer();
        Util.setShort(buffer, (short) 0, persistentCount);
        Util.setShort(buffer, (short) 2, transientCount[0]);
        apdu.setOutgoingAndSend((short) 0, (short) 4);
    }

    /** 80 20 00 00 Lc data: answers the data. */
    private void processEcho(APDU apdu) {
        short lc = apdu.setIncomingAndReceive();
        if (lc != apdu.getIncomingLength()) {
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
        }
        apdu.setOutgoingAndSend(apdu.getOffsetCdata(), lc);
    }
}
