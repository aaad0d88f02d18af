package nfcpay.bench.air;

/**
 * CRC_A of ISO/IEC 14443-3 (Annex B): CRC-16/CCITT polynomial x^16 + x^12 + x^5 + 1, reflected
 * (0x8408), initial value 0x6363, no final XOR, sent least significant byte first.
 */
public final class CrcA {

    private CrcA() {}

    /** The two CRC_A bytes in transmission order. */
    public static byte[] of(byte[] data, int off, int len) {
        int crc = 0x6363;
        for (int i = off; i < off + len; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return new byte[] {(byte) crc, (byte) (crc >>> 8)};
    }

    public static byte[] of(byte[] data) {
        return of(data, 0, data.length);
    }
}
