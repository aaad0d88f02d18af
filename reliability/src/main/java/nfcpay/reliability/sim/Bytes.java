package nfcpay.reliability.sim;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Byte helpers for the terminal side of the tests. */
public final class Bytes {

    public static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Bytes() {}

    /** 4-byte unsigned big-endian, as the card keeps amounts. */
    public static byte[] uint32(long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not a 4-byte amount: " + value);
        }
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    public static byte[] uint16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    public static long toLong(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] hex(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    /** Packed BCD of a decimal string with an even number of digits. */
    public static byte[] bcd(String digits) {
        if (digits.length() % 2 != 0 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an even number of decimal digits: " + digits);
        }
        return HEX.parseHex(digits);
    }
}
