package nfcpay.sim.cref.probe;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;

/**
 * A test-only applet for the reference VM: it keeps the bytes its {@code install} was given, so that a test can
 * read back the layout the platform's installer delivers, and registers under the instance AID found in them.
 */
public final class ProbeApplet extends Applet {

    static final byte INS_INSTALL_DATA = (byte) 0x30;
    static final byte INS_COUNT = (byte) 0x10;

    private final byte[] installData;
    private short count;

    private ProbeApplet(byte[] bArray, short bOffset, byte bLength) {
        // bOffset | bLength | bArray[0 .. bOffset + bLength)
        short end = (short) (bOffset + (bLength & 0xFF));
        installData = new byte[(short) (3 + end)];
        Util.setShort(installData, (short) 0, bOffset);
        installData[2] = bLength;
        Util.arrayCopyNonAtomic(bArray, (short) 0, installData, (short) 3, end);
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        ProbeApplet probe = new ProbeApplet(bArray, bOffset, bLength);
        // Both platforms begin the data with Li | instance AID (to be confirmed by the probe itself).
        // Parameters that begin Li | AID (GlobalPlatform's layout) name the instance AID; others register the class AID.
        byte li = bLength > 0 ? bArray[bOffset] : 0;
        if (li >= 5 && li <= 16 && li < bLength) {
            probe.register(bArray, (short) (bOffset + 1), li);
        } else {
            probe.register();
        }
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buffer = apdu.getBuffer();
        switch (buffer[ISO7816.OFFSET_INS]) {
            case INS_INSTALL_DATA:
                Util.arrayCopyNonAtomic(installData, (short) 0, buffer, (short) 0, (short) installData.length);
                apdu.setOutgoingAndSend((short) 0, (short) installData.length);
                break;
            case INS_COUNT:
                count++;
                Util.setShort(buffer, (short) 0, count);
                apdu.setOutgoingAndSend((short) 0, (short) 2);
                break;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }
}
