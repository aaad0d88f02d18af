package nfcpay.card.selector;

import javacard.framework.Util;

/**
 * Packed BCD and unsigned binary amounts with byte and short arithmetic only (many SIMs have no
 * int): EMV sends the amount as n12 BCD (9F02), the card keeps 4-byte unsigned binary fen.
 */
final class Amounts {

    /** Bytes of an on-card amount: unsigned binary, big-endian. */
    static final short BINARY_LENGTH = 4;

    private Amounts() {}

    /** True when every nibble of {@code bcd[offset .. offset + length)} is a decimal digit. */
    static boolean isBcd(byte[] bcd, short offset, short length) {
        for (short i = 0; i < length; i++) {
            byte b = bcd[(short) (offset + i)];
            if ((short) ((b >> 4) & 0x0F) > 9 || (short) (b & 0x0F) > 9) {
                return false;
            }
        }
        return true;
    }

    static boolean isZero(byte[] data, short offset, short length) {
        for (short i = 0; i < length; i++) {
            if (data[(short) (offset + i)] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Converts packed BCD to 4-byte unsigned binary at {@code out[outOffset]} by multiplying by ten and
     * adding each digit, byte by byte. Returns false, leaving {@code out} meaningless, when the value
     * exceeds FFFFFFFF. Each step is at most 255 * 10 + 9 = 2559, so short arithmetic never overflows.
     */
    static boolean bcdToBinary(byte[] bcd, short offset, short length, byte[] out, short outOffset) {
        Util.arrayFillNonAtomic(out, outOffset, BINARY_LENGTH, (byte) 0);
        short digits = (short) (length * 2);
        for (short d = 0; d < digits; d++) {
            byte b = bcd[(short) (offset + (short) (d >> 1))];
            short carry = (d & 1) == 0 ? (short) ((b >> 4) & 0x0F) : (short) (b & 0x0F);
            for (short i = (short) (BINARY_LENGTH - 1); i >= 0; i--) {
                short at = (short) (outOffset + i);
                short t = (short) ((short) ((out[at] & 0xFF) * 10) + carry);
                out[at] = (byte) t;
                carry = (short) ((t >> 8) & 0xFF);
            }
            if (carry != 0) {
                return false;
            }
        }
        return true;
    }

    /** Compares two unsigned big-endian numbers of {@code length} bytes: negative, zero or positive. */
    static short compareUnsigned(byte[] a, short aOffset, byte[] b, short bOffset, short length) {
        for (short i = 0; i < length; i++) {
            short x = (short) (a[(short) (aOffset + i)] & 0xFF);
            short y = (short) (b[(short) (bOffset + i)] & 0xFF);
            if (x != y) {
                return (short) (x - y);
            }
        }
        return 0;
    }
}
