package nfcpay.sim;

/** The card's unsigned big-endian numbers: 4-byte amounts and balances, 2-byte counters. */
public final class BigEndian {

    private BigEndian() {}

    /** An amount as the card keeps it: 4 bytes, unsigned. */
    public static byte[] uint32(long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("amount out of the card's 4-byte range: " + value);
        }
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    /** A counter as the card keeps it: 2 bytes, unsigned. */
    public static byte[] uint16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("counter out of the card's 2-byte range: " + value);
        }
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    /** The unsigned value of up to 7 bytes, such as a balance or a counter the card answered. */
    public static long toLong(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
