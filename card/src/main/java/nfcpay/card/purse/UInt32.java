package nfcpay.card.purse;

/**
 * Arithmetic on 4-byte unsigned big-endian amounts (PROTOCOL.md: amounts are 4-byte unsigned binary
 * in fen), byte by byte with short intermediates: many SIMs have no int, and an amount above
 * 0x7FFFFFFF must not turn negative.
 *
 * <p>Operands and the result may be the same array region: every byte is read before it is written.
 */
public final class UInt32 {

    /** Size of an amount in bytes. */
    public static final short LENGTH = 4;

    private UInt32() {}

    /** Returns -1, 0 or 1 as {@code a} is less than, equal to or greater than {@code b}, unsigned. */
    public static byte compare(byte[] a, short aOff, byte[] b, short bOff) {
        for (short i = 0; i < LENGTH; i++) {
            short x = (short) (a[(short) (aOff + i)] & 0xFF);
            short y = (short) (b[(short) (bOff + i)] & 0xFF);
            if (x != y) {
                return x < y ? (byte) -1 : (byte) 1;
            }
        }
        return (byte) 0;
    }

    /** True when all four bytes are zero. */
    public static boolean isZero(byte[] a, short aOff) {
        for (short i = 0; i < LENGTH; i++) {
            if (a[(short) (aOff + i)] != (byte) 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code out = a + b} modulo 2^32.
     *
     * @return true when the sum does not fit in 32 bits (the carry out of the top byte)
     */
    public static boolean add(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
        short carry = 0;
        for (short i = (short) (LENGTH - 1); i >= 0; i--) {
            short sum = (short) ((short) (a[(short) (aOff + i)] & 0xFF) + (short) (b[(short) (bOff + i)] & 0xFF) + carry);
            out[(short) (outOff + i)] = (byte) sum;
            carry = (short) ((sum >> 8) & 0x01);
        }
        return carry != 0;
    }

    /**
     * {@code out = a - b} modulo 2^32.
     *
     * @return true when {@code b > a} (a borrow out of the top byte)
     */
    public static boolean subtract(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
        short borrow = 0;
        for (short i = (short) (LENGTH - 1); i >= 0; i--) {
            short diff = (short) ((short) (a[(short) (aOff + i)] & 0xFF) - (short) (b[(short) (bOff + i)] & 0xFF) - borrow);
            out[(short) (outOff + i)] = (byte) diff;
            borrow = diff < 0 ? (short) 1 : (short) 0;
        }
        return borrow != 0;
    }
}
