package nfcpay.reliability.applets;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.OwnerPIN;
import javacard.framework.Util;

/**
 * Test-only: two PINs "1234" with 3 tries each, for the tearing attack on PIN presentation.
 * {@code 00 20 00 P2 Lc <digits>}: P2 {@code 80} checks against an {@code OwnerPIN}; P2 {@code 81} against
 * a hand-rolled PIN that compares first and spends a try only when the comparison failed, the classic
 * mistake: the power can be cut at the write that only a wrong PIN causes. Answers 9000, 63Cx or 6983.
 * {@code 80 CA 00 P2}: the tries left of that PIN (1 byte).
 */
public final class PinApplet extends Applet {

    private static final byte LIMIT = 3;
    private static final byte[] INITIAL = {'1', '2', '3', '4'};

    private final OwnerPIN pin = new OwnerPIN(LIMIT, (byte) 8);
    private final byte[] naiveValue = new byte[8];
    private byte naiveLength;
    private byte naiveTries = LIMIT;

    private PinApplet() {
        pin.update(INITIAL, (short) 0, (byte) INITIAL.length);
        Util.arrayCopyNonAtomic(INITIAL, (short) 0, naiveValue, (short) 0, (short) INITIAL.length);
        naiveLength = (byte) INITIAL.length;
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new PinApplet().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            return;
        }
        byte[] buf = apdu.getBuffer();
        boolean naive = buf[ISO7816.OFFSET_P2] == (byte) 0x81;
        switch (buf[ISO7816.OFFSET_INS]) {
            case 0x20:
                byte length = (byte) apdu.setIncomingAndReceive();
                if (naive ? !checkNaive(buf, ISO7816.OFFSET_CDATA, length)
                        : !pin.check(buf, ISO7816.OFFSET_CDATA, length)) {
                    byte left = naive ? naiveTries : pin.getTriesRemaining();
                    ISOException.throwIt(left == 0 ? (short) 0x6983 : (short) (0x63C0 | left));
                }
                return;
            case (byte) 0xCA:
                buf[0] = naive ? naiveTries : pin.getTriesRemaining();
                apdu.setOutgoingAndSend((short) 0, (short) 1);
                return;
            default:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
        }
    }

    private boolean checkNaive(byte[] candidate, short offset, byte length) {
        if (naiveTries == 0) {
            return false;
        }
        if (length == naiveLength && Util.arrayCompare(candidate, offset, naiveValue, (short) 0, length) == 0) {
            if (naiveTries != LIMIT) {
                naiveTries = LIMIT;
            }
            return true;
        }
        naiveTries--;
        return false;
    }
}
