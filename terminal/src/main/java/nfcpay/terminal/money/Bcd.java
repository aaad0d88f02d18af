package nfcpay.terminal.money;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;

/** Packed BCD as the contract writes amounts (n12), currencies (n3), dates and times. */
public final class Bcd {

    private Bcd() {}

    /** {@code value} as {@code length} bytes of packed BCD, right-aligned with leading zeros. */
    public static byte[] encode(long value, int length) {
        if (value < 0) {
            throw new IllegalArgumentException("BCD of a negative number");
        }
        byte[] out = new byte[length];
        long v = value;
        for (int i = length - 1; i >= 0; i--) {
            int low = (int) (v % 10);
            v /= 10;
            int high = (int) (v % 10);
            v /= 10;
            out[i] = (byte) (high << 4 | low);
        }
        if (v != 0) {
            throw new IllegalArgumentException(value + " does not fit " + (2 * length) + " BCD digits");
        }
        return out;
    }

    /** The number in {@code length} bytes of packed BCD at {@code off}; IllegalArgumentException on a non-decimal nibble. */
    public static long decode(byte[] b, int off, int length) {
        long v = 0;
        for (int i = off; i < off + length; i++) {
            int high = (b[i] >> 4) & 0x0F;
            int low = b[i] & 0x0F;
            if (high > 9 || low > 9) {
                throw new IllegalArgumentException("not packed BCD");
            }
            v = v * 100 + high * 10 + low;
        }
        return v;
    }

    /** YYYYMMDD, 4 bytes. */
    public static byte[] date(LocalDate d) {
        return encode(d.getYear() * 10_000L + d.getMonthValue() * 100L + d.getDayOfMonth(), 4);
    }

    /** hhmmss, 3 bytes. */
    public static byte[] time(LocalTime t) {
        return encode(t.getHour() * 10_000L + t.getMinute() * 100L + t.getSecond(), 3);
    }

    /** A YYYYMMDD date at {@code off}; IllegalArgumentException when it is not one. */
    public static LocalDate toDate(byte[] b, int off) {
        long v = decode(b, off, 4);
        try {
            return LocalDate.of((int) (v / 10_000), (int) (v / 100 % 100), (int) (v % 100));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a date: " + v, e);
        }
    }

    /** An hhmmss time at {@code off}; IllegalArgumentException when it is not one. */
    public static LocalTime toTime(byte[] b, int off) {
        long v = decode(b, off, 3);
        try {
            return LocalTime.of((int) (v / 10_000), (int) (v / 100 % 100), (int) (v % 100));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a time: " + v, e);
        }
    }
}
