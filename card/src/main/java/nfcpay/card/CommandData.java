package nfcpay.card;

import javacard.framework.APDU;
import javacard.framework.APDUException;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;

/**
 * Receives a command's data the one way every applet here does, on every platform it runs on.
 *
 * <p>Java Card allows {@code setIncomingAndReceive} only on a case 3 or 4 command; Oracle's reference VM throws
 * {@code APDUException.IO_ERROR} when a command without data (case 1 or 2) arrives where data may come, which
 * uncaught is 6F00. A command that may come with or without data (VERIFY) or a malformed one (INITIALIZE without its
 * data) must still get its defined answer, so that exception means "no data" here, and every other failure to
 * receive is a wrong length (docs/protocol.md 1).
 */
public final class CommandData {

    private CommandData() {}

    /** The command data, all of it, in the APDU buffer at OFFSET_CDATA; returns Lc (0 without data). 6700 otherwise. */
    public static short receive(APDU apdu) {
        short received;
        try {
            received = apdu.setIncomingAndReceive();
        } catch (APDUException e) {
            if (e.getReason() != APDUException.IO_ERROR) {
                ISOException.throwIt(Wire.SW_WRONG_LENGTH);
            }
            return 0;
        }
        short lc = apdu.getIncomingLength();
        while (received < lc) {
            short more = 0;
            try {
                more = apdu.receiveBytes((short) (ISO7816.OFFSET_CDATA + received));
            } catch (APDUException e) {
                ISOException.throwIt(Wire.SW_WRONG_LENGTH);
            }
            if (more <= 0) {
                ISOException.throwIt(Wire.SW_WRONG_LENGTH);
            }
            received = (short) (received + more);
        }
        return lc;
    }

    /** {@link #receive}, and 6700 unless Lc is exactly {@code expected}. */
    public static void receiveExactly(APDU apdu, short expected) {
        if (receive(apdu) != expected) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
    }
}
