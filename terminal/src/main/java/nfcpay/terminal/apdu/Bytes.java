package nfcpay.terminal.apdu;

import java.util.HexFormat;

/** Hex and big-endian unsigned numbers, the way every field of PROTOCOL.md is written. */
public final class Bytes {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Bytes() {}

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Parses hex, ignoring spaces; IllegalArgumentException on anything else. */
    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    public static long u32(byte[] b, int off) {
        return (long) u16(b, off) << 16 | u16(b, off + 2);
    }

    public static byte[] u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("not a 2-byte unsigned value: " + value);
        }
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    public static byte[] u32(long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not a 4-byte unsigned value: " + value);
        }
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /**
     * An application serial number as printouts show it: every byte but the last two masked, like
     * a card number on a receipt ("****************0001").
     */
    public static String maskSerial(byte[] serial) {
        if (serial == null || serial.length == 0) {
            return "";
        }
        int shown = Math.min(2, serial.length);
        return "**".repeat(serial.length - shown) + hex(java.util.Arrays.copyOfRange(serial, serial.length - shown, serial.length));
    }
}
