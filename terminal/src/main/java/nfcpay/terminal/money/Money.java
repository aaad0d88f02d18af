package nfcpay.terminal.money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/**
 * An amount in minor units (fen for CNY) with its currency. Never a double: text goes through
 * {@link BigDecimal} with an exact scale, the card sees 4-byte binary or n12 BCD.
 *
 * @param minor the amount in minor units, 0..FFFFFFFF (the card's 4-byte range)
 * @param currency an ISO 4217 currency with a numeric code and minor units
 */
public record Money(long minor, Currency currency) implements Comparable<Money> {

    /** The card's amounts and balances are 4-byte unsigned. */
    public static final long MAX_MINOR = 0xFFFFFFFFL;
    public static final Currency CNY = Currency.getInstance("CNY");

    public Money {
        Objects.requireNonNull(currency, "currency");
        requireCardCurrency(currency);
        if (minor < 0 || minor > MAX_MINOR) {
            throw new IllegalArgumentException("amount out of the card's range: " + minor + " minor units");
        }
    }

    public static Money of(long minor, Currency currency) {
        return new Money(minor, currency);
    }

    public static Money cny(long fen) {
        return new Money(fen, CNY);
    }

    /** {@link #parse(String, Currency)} in CNY. */
    public static Money parse(String text) {
        return parse(text, CNY);
    }

    /**
     * A payment amount typed by a person, in the one amount grammar of {@link #parseNonNegative}, above zero.
     *
     * @throws IllegalArgumentException with a message naming the problem and what to write instead
     */
    public static Money parse(String text, Currency currency) {
        Money m = parseNonNegative(text, currency);
        if (m.minor() == 0) {
            throw new IllegalArgumentException("amount must be above zero: " + text);
        }
        return m;
    }

    /**
     * The one amount grammar for everything a person types (issue 16): digits, then optionally '.' and at most the
     * currency's minor digits. {@code 5}, {@code 5.}, {@code 5.5}, {@code 5.50}, {@code 0.50} and {@code 0} are
     * amounts; {@code .5} (write 0.5), a sign, a space, an exponent, a grouping comma and more decimals than the
     * currency has (even zeros: {@code 12.000}) are not, and each refusal says what to write instead. Nothing is
     * ever rounded. Within the card's 4-byte range.
     *
     * @throws IllegalArgumentException with a message naming the problem
     */
    public static Money parseNonNegative(String text, Currency currency) {
        requireCardCurrency(currency);
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("not an amount: '' (write it like 12.34)");
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("amount must be above zero: " + text);
        }
        if (text.startsWith("+")) {
            throw new IllegalArgumentException("no sign in an amount: write " + text.substring(1) + ", not " + text);
        }
        if (text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("no spaces in an amount: '" + text + "'");
        }
        if (text.matches("\\.[0-9]+")) {
            throw new IllegalArgumentException("write 0" + text + ", not " + text);
        }
        if (!text.matches("[0-9]+(\\.[0-9]*)?")) {
            throw new IllegalArgumentException("not an amount: '" + text + "' (write it like 12.34)");
        }
        int digits = currency.getDefaultFractionDigits();
        int point = text.indexOf('.');
        if (point >= 0 && text.length() - point - 1 > digits) {
            throw new IllegalArgumentException("amount " + text + " has more than " + digits + " decimal places for "
                    + currency.getCurrencyCode());
        }
        BigDecimal minor = new BigDecimal(point == text.length() - 1 ? text.substring(0, point) : text)
                .movePointRight(digits);
        if (minor.compareTo(BigDecimal.valueOf(MAX_MINOR)) > 0) {
            throw new IllegalArgumentException("amount " + text + " is above the card's maximum "
                    + new Money(MAX_MINOR, currency).format() + " " + currency.getCurrencyCode());
        }
        return new Money(minor.longValueExact(), currency);
    }

    /** The currency with this ISO 4217 code, with a clear message for one that is not. */
    public static Currency currency(String code) {
        try {
            return requireCardCurrency(Currency.getInstance(code.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown currency: '" + code + "' (an ISO 4217 code like CNY)");
        }
    }

    /** The currency whose ISO numeric code is in 2 bytes of n3 BCD at {@code off} (e.g. 01 56 → CNY). */
    public static Currency currencyFromN3(byte[] b, int off) {
        long numeric;
        try {
            numeric = Bcd.decode(b, off, 2);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency code is not BCD");
        }
        for (Currency c : Currency.getAvailableCurrencies()) {
            if (c.getNumericCode() == numeric && c.getDefaultFractionDigits() >= 0) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown currency number " + String.format("%03d", numeric));
    }

    /** The ISO numeric code of the currency as n3 BCD, 2 bytes (CNY 156 → 01 56). */
    public static byte[] currencyToN3(Currency currency) {
        return Bcd.encode(currency.getNumericCode(), 2);
    }

    /** This amount as n12: 6 bytes of packed BCD (EMV 9F02). */
    public byte[] toN12() {
        return Bcd.encode(minor, 6);
    }

    /** This amount as the card writes it: 4-byte unsigned binary. */
    public byte[] toBinary() {
        return nfcpay.terminal.apdu.Bytes.u32(minor);
    }

    /** The amount in major units with the currency's fraction digits, e.g. "12.34" (no currency). */
    public String format() {
        return toDecimal().toPlainString();
    }

    public BigDecimal toDecimal() {
        return BigDecimal.valueOf(minor, currency.getDefaultFractionDigits());
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(minor - other.minor, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(minor + other.minor, currency);
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minor, other.minor);
    }

    /** "12.34 CNY". */
    @Override
    public String toString() {
        return format() + " " + currency.getCurrencyCode();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot mix " + currency + " and " + other.currency);
        }
    }

    private static Currency requireCardCurrency(Currency currency) {
        if (currency.getDefaultFractionDigits() < 0 || currency.getNumericCode() <= 0) {
            throw new IllegalArgumentException("currency " + currency.getCurrencyCode() + " has no minor units");
        }
        return currency;
    }
}
