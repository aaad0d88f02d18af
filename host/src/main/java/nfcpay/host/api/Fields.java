package nfcpay.host.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads the fields of PROTOCOL.md 5 from a JSON object, strictly: a field that is absent, of the wrong
 * JSON type or out of range is {@link Malformed}, naming the field. Hex is accepted in either case and
 * normalized to upper case.
 */
final class Fields {

    static final long UINT32 = 0xFFFF_FFFFL;

    /** A field is absent or out of range. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private final JsonNode node;

    Fields(JsonNode node) throws Malformed {
        if (node == null || !node.isObject()) {
            throw new Malformed("not a JSON object");
        }
        this.node = node;
    }

    /** Hex of exactly {@code bytes} bytes, upper case. */
    String hex(String name, int bytes) throws Malformed {
        return hex(name, bytes, bytes);
    }

    String hex(String name, int minBytes, int maxBytes) throws Malformed {
        String v = text(name);
        if (v.length() % 2 != 0 || v.length() < 2 * minBytes || v.length() > 2 * maxBytes || !isHex(v)) {
            throw new Malformed(name + " must be " + (minBytes == maxBytes ? minBytes : minBytes + " to " + maxBytes)
                    + " bytes of hex");
        }
        return v.toUpperCase(Locale.ROOT);
    }

    /** An integer in [min, max]; a JSON number with a fraction or a string is malformed. */
    long integer(String name, long min, long max) throws Malformed {
        JsonNode v = node.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new Malformed(name + " must be an integer");
        }
        long x = v.longValue();
        if (x < min || x > max) {
            throw new Malformed(name + " must be between " + min + " and " + max);
        }
        return x;
    }

    String date(String name) throws Malformed {
        String v = text(name);
        if (!v.matches("\\d{8}")) {
            throw new Malformed(name + " must be YYYYMMDD");
        }
        try {
            LocalDate.of(Integer.parseInt(v.substring(0, 4)), Integer.parseInt(v.substring(4, 6)),
                    Integer.parseInt(v.substring(6, 8)));
        } catch (DateTimeException e) {
            throw new Malformed(name + " is not a calendar date");
        }
        return v;
    }

    String time(String name) throws Malformed {
        String v = text(name);
        if (!v.matches("\\d{6}")) {
            throw new Malformed(name + " must be hhmmss");
        }
        try {
            LocalTime.of(Integer.parseInt(v.substring(0, 2)), Integer.parseInt(v.substring(2, 4)),
                    Integer.parseInt(v.substring(4, 6)));
        } catch (DateTimeException e) {
            throw new Malformed(name + " is not a time of day");
        }
        return v;
    }

    String currency(String name) throws Malformed {
        String v = text(name);
        if (!v.matches("[A-Z]{3}")) {
            throw new Malformed(name + " must be an ISO 4217 alphabetic code");
        }
        return v;
    }

    private String text(String name) throws Malformed {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual()) {
            throw new Malformed(name + " must be a string");
        }
        return v.textValue();
    }

    static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Big-endian unsigned, {@code length} bytes. */
    static byte[] be(long value, int length) {
        byte[] b = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return b;
    }

    static String cardSerial(String raw) throws Malformed {
        if (raw == null || raw.length() != 20 || !isHex(raw)) {
            throw new Malformed("card_serial must be 10 bytes of hex");
        }
        return raw.toUpperCase(Locale.ROOT);
    }
}
