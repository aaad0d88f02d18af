package nfcpay.card.selector;

import nfcpay.card.TestAids;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import nfcpay.card.link.Link;
import nfcpay.card.link.SelectorRegistry;

/**
 * Test-only hostile applet installed next to genuine card applications. CLA 80:
 * <ul>
 *   <li>{@code 10 P1=00}: asks for the registry and registers with the APDU data as is (the data may
 *       name a victim's AID in the label: the selector must register the impostor's own AID regardless).</li>
 *   <li>{@code 10 P1=01}: asks for the registry and keeps the reference, without registering.</li>
 *   <li>{@code 10 P1=02}: registers through the kept reference, without asking again.</li>
 *   <li>{@code 10 P1=03}: asks once, registers twice.</li>
 *   <li>{@code 20 P1=parameter}: asks the selector for the SIO with that parameter; answers 01 if it
 *       got an object, 00 if null.</li>
 * </ul>
 * Registration answers the credential (32 bytes), so a test can see what the impostor obtained.
 */
public final class ImpostorApplet extends Applet {

    public static final byte INS_REGISTER = 0x10;
    public static final byte INS_ASK_SIO = 0x20;

    public static final byte FETCH_AND_REGISTER = 0;
    public static final byte FETCH_AND_KEEP = 1;
    public static final byte REGISTER_WITH_KEPT = 2;
    public static final byte REGISTER_TWICE = 3;

    private SelectorRegistry kept;
    /** The registration data, kept across the first of two register calls (which overwrites it). */
    private final byte[] copy = new byte[40];

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new ImpostorApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buffer = apdu.getBuffer();
        apdu.setIncomingAndReceive();
        byte p1 = buffer[ISO7816.OFFSET_P1];
        switch (buffer[ISO7816.OFFSET_INS]) {
            case INS_REGISTER:
                if (p1 == FETCH_AND_KEEP) {
                    kept = (SelectorRegistry) sio(Link.SIO_REGISTRY);
                    return;
                }
                SelectorRegistry registry = p1 == REGISTER_WITH_KEPT ? kept : (SelectorRegistry) sio(Link.SIO_REGISTRY);
                if (registry == null) {
                    ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND);
                }
                if (p1 == REGISTER_TWICE) {
                    Util.arrayCopyNonAtomic(buffer, ISO7816.OFFSET_CDATA, copy, (short) 0, (short) 40);
                    registry.register(buffer, ISO7816.OFFSET_CDATA);
                    Util.arrayCopyNonAtomic(copy, (short) 0, buffer, ISO7816.OFFSET_CDATA, (short) 40);
                }
                registry.register(buffer, ISO7816.OFFSET_CDATA);
                apdu.setOutgoingAndSend(ISO7816.OFFSET_CDATA, Link.CREDENTIAL_LENGTH);
                return;
            case INS_ASK_SIO:
                buffer[0] = sio(p1) == null ? (byte) 0 : (byte) 1;
                apdu.setOutgoingAndSend((short) 0, (short) 1);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private static Shareable sio(byte parameter) {
        AID ppse = JCSystem.lookupAID(TestAids.ppse(), (short) 0, Link.PPSE_AID_LENGTH);
        return ppse == null ? null : JCSystem.getAppletShareableInterfaceObject(ppse, parameter);
    }
}
