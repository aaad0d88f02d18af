package nfcpay.terminal.transport;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;

/** The smallest applet that answers: INS 01 returns the command data, anything else 6D00. */
public final class EchoApplet extends Applet {

    private EchoApplet() {
        register();
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new EchoApplet();
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buffer = apdu.getBuffer();
        if (buffer[ISO7816.OFFSET_INS] != 0x01) {
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
        short length = apdu.setIncomingAndReceive();
        Util.arrayCopyNonAtomic(buffer, ISO7816.OFFSET_CDATA, buffer, (short) 0, length);
        apdu.setOutgoingAndSend((short) 0, length);
    }
}
