package nfcpay.reliability.sim;

import java.util.HexFormat;

/**
 * Hex and 2-byte helpers for the terminal side of the tests. The card's other encodings have one home in
 * {@code nfcpay.sim} ({@code Bcd}, {@code BigEndian}) and {@code nfcpay.crypto.PbocCrypto.concat}.
 */
public final class Bytes {

    public static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Bytes() {}

    public static byte[] uint16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] hex(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }
}
