package nfcpay.terminal.rogue;

import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.Link;
import nfcpay.card.link.SelectorRegistry;

/**
 * A test-only hostile applet for the reference VM, converted at test time: it goes after the in-card contract
 * between the selector and the purses (PROTOCOL.md 2.3, 2.4) the way an applet loaded next to them could. Each
 * command answers {@code outcome | detail} with 9000, so that the test sees what the card let it do:
 * <ul>
 *   <li>{@code 80 20 00 00 Lc AID}: asks applet AID for its account-information SIO and reads a record with it;</li>
 *   <li>{@code 80 22 00 00 Lc L label priority}: registers with the selector through its registry SIO;</li>
 *   <li>{@code 80 24}: takes the registry SIO and keeps the reference without registering;</li>
 *   <li>{@code 80 26 00 00 Lc L label priority}: registers through the reference kept by 80 24.</li>
 * </ul>
 * Installed with parameter {@code 01} it is instead a fake purse that hands its account-information SIO to anyone:
 * the control that shows the rogue's code obtains and reads an SIO where nothing refuses it.
 */
public final class RogueApplet extends Applet implements AccountInfoSource {

    static final byte INS_READ_INFO = (byte) 0x20;
    static final byte INS_REGISTER = (byte) 0x22;
    static final byte INS_KEEP = (byte) 0x24;
    static final byte INS_REUSE = (byte) 0x26;

    /** The server returned no SIO. */
    static final byte NO_SIO = (byte) 0x00;
    /** The call went through; the detail is the length and the bytes returned. */
    static final byte DONE = (byte) 0x01;
    static final byte SECURITY_EXCEPTION = (byte) 0x02;
    /** ISOException; the detail is its reason. */
    static final byte ISO_EXCEPTION = (byte) 0x03;
    static final byte OTHER_EXCEPTION = (byte) 0x04;
    static final byte NO_SUCH_APPLET = (byte) 0x05;
    static final byte NOTHING_KEPT = (byte) 0x06;

    private final boolean servesAnyone;
    private Shareable kept;

    private RogueApplet(boolean servesAnyone) {
        this.servesAnyone = servesAnyone;
    }

    /** GlobalPlatform install data: Li AID | Lc privileges | La parameters; parameter 01 = fake purse. */
    public static void install(byte[] bArray, short bOffset, byte bLength) {
        byte li = bArray[bOffset];
        short privileges = (short) (bOffset + 1 + li);
        short parameters = (short) (privileges + 1 + bArray[privileges]);
        boolean fake = bArray[parameters] >= 1 && bArray[(short) (parameters + 1)] == 1;
        new RogueApplet(fake).register(bArray, (short) (bOffset + 1), li);
    }

    @Override
    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        return servesAnyone && parameter == Link.SIO_ACCOUNT_INFO ? this : null;
    }

    /** The fake purse's record: recognisable bytes, 24 of them. */
    @Override
    public short readAccountInfo(byte[] buffer, short offset) {
        Util.arrayFillNonAtomic(buffer, offset, Link.RECORD_LENGTH, (byte) 0x5A);
        return Link.RECORD_LENGTH;
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        short lc = apdu.setIncomingAndReceive();
        switch (buf[ISO7816.OFFSET_INS]) {
            case INS_READ_INFO:
                readInfo(apdu, buf, lc);
                break;
            case INS_REGISTER:
                register(apdu, buf, JCSystem.getAppletShareableInterfaceObject(selector(buf), Link.SIO_REGISTRY));
                break;
            case INS_KEEP:
                kept = JCSystem.getAppletShareableInterfaceObject(selector(buf), Link.SIO_REGISTRY);
                buf[0] = kept == null ? NO_SIO : DONE;
                apdu.setOutgoingAndSend((short) 0, (short) 1);
                break;
            case INS_REUSE:
                if (kept == null) {
                    buf[0] = NOTHING_KEPT;
                    apdu.setOutgoingAndSend((short) 0, (short) 1);
                    return;
                }
                register(apdu, buf, kept);
                break;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    /**
     * The selector's AID, written past the command data and the credential to come (3 + 32) so they stay where
     * they are, and inside cref's APDU buffer, which is shorter than 200 bytes.
     */
    private static AID selector(byte[] buf) {
        short at = (short) 64;
        Link.writePpseAid(buf, at);
        return JCSystem.lookupAID(buf, at, Link.PPSE_AID_LENGTH);
    }

    private void readInfo(APDU apdu, byte[] buf, short lc) {
        AID target = JCSystem.lookupAID(buf, ISO7816.OFFSET_CDATA, (byte) lc);
        if (target == null) {
            answer(apdu, buf, NO_SUCH_APPLET, (short) 0);
            return;
        }
        Shareable sio = JCSystem.getAppletShareableInterfaceObject(target, Link.SIO_ACCOUNT_INFO);
        if (sio == null) {
            answer(apdu, buf, NO_SIO, (short) 0);
            return;
        }
        try {
            // A challenge of its own choosing at 3, where the record comes back.
            Util.arrayFillNonAtomic(buf, (short) 3, Link.CHALLENGE_LENGTH, (byte) 0x11);
            short n = ((AccountInfoSource) sio).readAccountInfo(buf, (short) 3);
            buf[0] = DONE;
            Util.setShort(buf, (short) 1, n);
            apdu.setOutgoingAndSend((short) 0, (short) (3 + n));
        } catch (ISOException e) {
            answer(apdu, buf, ISO_EXCEPTION, e.getReason());
        } catch (SecurityException e) {
            answer(apdu, buf, SECURITY_EXCEPTION, (short) 0);
        } catch (RuntimeException e) {
            answer(apdu, buf, OTHER_EXCEPTION, (short) 0);
        }
    }

    /** Registers with the command data {@code L label priority} at 3, the credential coming back there. */
    private void register(APDU apdu, byte[] buf, Shareable sio) {
        if (sio == null) {
            answer(apdu, buf, NO_SIO, (short) 0);
            return;
        }
        Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, buf, (short) 3, (short) (buf[ISO7816.OFFSET_CDATA] + 2));
        try {
            short n = ((SelectorRegistry) sio).register(buf, (short) 3);
            buf[0] = DONE;
            Util.setShort(buf, (short) 1, n);
            apdu.setOutgoingAndSend((short) 0, (short) (3 + n));
        } catch (ISOException e) {
            answer(apdu, buf, ISO_EXCEPTION, e.getReason());
        } catch (SecurityException e) {
            answer(apdu, buf, SECURITY_EXCEPTION, (short) 0);
        } catch (RuntimeException e) {
            answer(apdu, buf, OTHER_EXCEPTION, (short) 0);
        }
    }

    private static void answer(APDU apdu, byte[] buf, byte outcome, short detail) {
        buf[0] = outcome;
        Util.setShort(buf, (short) 1, detail);
        apdu.setOutgoingAndSend((short) 0, (short) 3);
    }

    @Override
    public void holderActivation(boolean active) {
        // a test applet keeps no contactless state
    }
}
