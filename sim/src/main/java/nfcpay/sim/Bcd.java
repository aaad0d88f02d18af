package nfcpay.sim;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Currency;

/** Packed BCD encodings the card expects (PROTOCOL.md notation). */
public final class Bcd {

    private Bcd() {}

    public static byte[] digits(String decimal) {
        if (decimal.length() % 2 != 0 || !decimal.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an even number of decimal digits: " + decimal);
        }
        byte[] out = new byte[decimal.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (((decimal.charAt(2 * i) - '0') << 4) | (decimal.charAt(2 * i + 1) - '0'));
        }
        return out;
    }

    /** YYYYMMDD. */
    public static byte[] date(LocalDate date) {
        return digits(String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth()));
    }

    /** hhmmss. */
    public static byte[] time(LocalDateTime time) {
        return digits(String.format("%02d%02d%02d", time.getHour(), time.getMinute(), time.getSecond()));
    }

    /** ISO 4217 numeric code as n3 in two bytes: CNY 156 → 01 56. */
    public static byte[] currency(Currency currency) {
        return digits(String.format("%04d", currency.getNumericCode()));
    }
}
