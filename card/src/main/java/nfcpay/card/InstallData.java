package nfcpay.card;

import javacard.framework.ISOException;

/**
 * The install data an applet's {@code install(bArray, bOffset, bLength)} receives, as a GlobalPlatform
 * card manager builds it from INSTALL [for install] and as nfcpay's platforms (jcardsim, Oracle's reference
 * VM) pass it: {@code Li | instance AID | Lc | control info | La | application parameters}. Li = 0 means
 * "the class AID" (what the reference VM's installer gives an applet created under its own AID).
 */
public final class InstallData {

    private InstallData() {}

    /**
     * The offset of La in {@code bArray}, each length checked against {@code bLength} first. Empty install
     * data counts as {@code 00 00 00}: no instance AID, no control info, no parameters, and answers -1.
     * Malformed → 6A80.
     */
    public static short parametersLengthOffset(byte[] bArray, short bOffset, byte bLength) {
        if (bLength == 0) {
            return -1;
        }
        short end = (short) (bOffset + (short) (bLength & 0xFF));
        short at = (short) (bOffset + 1 + (short) (bArray[bOffset] & 0xFF));
        if (at >= end) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        at = (short) (at + 1 + (short) (bArray[at] & 0xFF));
        if (at >= end || (short) (at + 1 + (short) (bArray[at] & 0xFF)) > end) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        return at;
    }

    /** La: the length of the application parameters at {@code lengthOffset + 1} (0 for -1). */
    public static short parametersLength(byte[] bArray, short lengthOffset) {
        return lengthOffset < 0 ? 0 : (short) (bArray[lengthOffset] & 0xFF);
    }
}
