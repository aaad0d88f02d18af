package nfcpay.cli;

import java.math.BigDecimal;
import java.util.Currency;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.money.Money;

/**
 * The one amount grammar of the command line, for --amount, --card LABEL=AMOUNT and wallet add --balance alike:
 * digits, then optionally '.' and at most the currency's minor digits. {@code 5}, {@code 5.}, {@code 5.5},
 * {@code 5.50}, {@code 0.50} are amounts; {@code .5} (write 0.5), a sign, a space, an exponent, a grouping comma
 * and more decimals than the currency has (even zeros: {@code 12.000}) are not. A person types these at a till,
 * so each refusal says what to write instead; no rounding ever happens.
 */
final class Amounts {

    private Amounts() {}

    /** A payment or load amount: above zero and within the card's 4-byte range. */
    static Money amount(String text, Currency currency) {
        Money m = parse(text, currency);
        if (m.minor() == 0) {
            throw new IllegalArgumentException("amount must be above zero: " + text);
        }
        return m;
    }

    /**
     * An opening balance of a simulated card: zero is fine, and above the card's maximum balance (CNY 50000.00
     * on the simulated SIM) is refused rather than raising that maximum.
     */
    static Money balance(String text, Currency currency) {
        Money m = parse(text, currency);
        if (m.minor() > SimulatedSim.DEFAULT_MAX_BALANCE) {
            throw new IllegalArgumentException("balance " + text + " is above the card's maximum balance "
                    + Text.money(Money.of(SimulatedSim.DEFAULT_MAX_BALANCE, currency)));
        }
        return m;
    }

    private static Money parse(String text, Currency currency) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("not an amount: '' (write it like 12.34)");
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("amount must be above zero: " + text);
        }
        if (text.startsWith("+")) {
            throw new IllegalArgumentException("no sign in an amount: write " + text.substring(1) + ", not " + text);
        }
        if (!text.strip().equals(text) || text.chars().anyMatch(Character::isWhitespace)) {
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
        BigDecimal minor = new BigDecimal(text.endsWith(".") ? text.substring(0, text.length() - 1) : text)
                .movePointRight(digits);
        if (minor.compareTo(BigDecimal.valueOf(Money.MAX_MINOR)) > 0) {
            throw new IllegalArgumentException("amount " + text + " is above the card's maximum "
                    + Money.of(Money.MAX_MINOR, currency).format() + " " + currency.getCurrencyCode());
        }
        return Money.of(minor.longValueExact(), currency);
    }
}
