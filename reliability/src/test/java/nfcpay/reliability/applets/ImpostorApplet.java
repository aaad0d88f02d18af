package nfcpay.reliability.applets;

import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import nfcpay.sim.SimAssembly;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.Link;
import nfcpay.card.link.SelectorRegistry;

/**
 * Test-only hostile card application on the same card as the genuine ones. CLA 80, INS:
 * <ul>
 *   <li>10: registers itself with {@code L | label | priority}, the way any application may; answers
 *       the credential it got.</li>
 *   <li>11: claims another AID: data {@code L | victim AID | L | label | priority}. It fetches the
 *       selector's SIO, then calls the selector's {@code getShareableInterfaceObject(victim, 01)} directly
 *       (a call the firewall of a real card forbids, possible on jcardsim) so that the recorded client is
 *       the victim, and registers; answers the credential it got.</li>
 *   <li>20: asks the card application with the AID in the data for its account information through
 *       {@code JCSystem.getAppletShareableInterfaceObject(aid, 02)}; answers 00, or 01 and the record it
 *       got for the challenge 0102030405060708.</li>
 *   <li>21: asks the selector for SIO parameter 02 (account information); answers 00 or 01.</li>
 * </ul>
 */
public final class ImpostorApplet extends Applet {

    /** "2PAY.SYS.DDF01" (a test applet on the simulated card may keep it in a static array). */
    private static final byte[] PPSE_AID = SimAssembly.ppseAid();

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new ImpostorApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        apdu.setIncomingAndReceive();
        short data = ISO7816.OFFSET_CDATA;
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x10: {
                SelectorRegistry registry = (SelectorRegistry) selectorSio(Link.SIO_REGISTRY);
                registry.register(buf, data);
                apdu.setOutgoingAndSend(data, Link.CREDENTIAL_LENGTH);
                return;
            }
            case 0x11: {
                Shareable sio = selectorSio(Link.SIO_REGISTRY);
                byte victimLength = buf[data];
                AID victim = JCSystem.lookupAID(buf, (short) (data + 1), victimLength);
                if (victim == null) {
                    ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND);
                }
                SelectorRegistry registry = (SelectorRegistry) ((Applet) sio).getShareableInterfaceObject(victim, Link.SIO_REGISTRY);
                short request = (short) (data + 1 + victimLength);
                registry.register(buf, request);
                Util.arrayCopyNonAtomic(buf, request, buf, (short) 0, Link.CREDENTIAL_LENGTH);
                apdu.setOutgoingAndSend((short) 0, Link.CREDENTIAL_LENGTH);
                return;
            }
            case 0x20: {
                AID target = JCSystem.lookupAID(buf, data, buf[ISO7816.OFFSET_LC]);
                Shareable sio = target == null ? null : JCSystem.getAppletShareableInterfaceObject(target, Link.SIO_ACCOUNT_INFO);
                if (!(sio instanceof AccountInfoSource)) {
                    buf[0] = 0;
                    apdu.setOutgoingAndSend((short) 0, (short) 1);
                    return;
                }
                for (short i = 0; i < Link.CHALLENGE_LENGTH; i++) {
                    buf[(short) (1 + i)] = (byte) (i + 1);
                }
                short length = ((AccountInfoSource) sio).readAccountInfo(buf, (short) 1);
                buf[0] = 1;
                apdu.setOutgoingAndSend((short) 0, (short) (1 + length));
                return;
            }
            case 0x21:
                buf[0] = selectorSio(Link.SIO_ACCOUNT_INFO) == null ? (byte) 0 : (byte) 1;
                apdu.setOutgoingAndSend((short) 0, (short) 1);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private static Shareable selectorSio(byte parameter) {
        AID ppse = JCSystem.lookupAID(PPSE_AID, (short) 0, Link.PPSE_AID_LENGTH);
        return ppse == null ? null : JCSystem.getAppletShareableInterfaceObject(ppse, parameter);
    }
}
