package nfcpay.cli;

import java.util.Currency;
import nfcpay.terminal.money.Money;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code --card} value. {@code LABEL=AMOUNT[@CUR]} puts a card with that balance on the
 * simulated SIM ({@code "Daily Wallet=15.00"}, {@code "Euro Card=20@EUR"}); a bare {@code LABEL}
 * (no '=') names a card to read or load.
 *
 * @param label the card's label
 * @param balance its opening balance; null when the value only names a card
 */
record CardArg(String label, Money balance) {

    static final String SPEC_FORM = "LABEL=AMOUNT[@CUR]";

    /** True for {@code LABEL=AMOUNT[@CUR]}, a card to put on the simulated SIM. */
    boolean isSpec() {
        return balance != null;
    }

    static CardArg parse(String text) {
        int eq = text.lastIndexOf('=');
        if (eq < 0) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("a card label cannot be empty");
            }
            return new CardArg(text.strip(), null);
        }
        // Spaces around a label are typing, not part of the name: "A " and "A" would show as the same card.
        String label = text.substring(0, eq).strip();
        String amount = text.substring(eq + 1);
        if (label.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' has no label before '=' (write " + SPEC_FORM
                    + ", e.g. 'Daily Wallet=15.00')");
        }
        Currency currency = Money.CNY;
        int at = amount.indexOf('@');
        if (at >= 0) {
            currency = Money.currency(amount.substring(at + 1));
            amount = amount.substring(0, at);
        }
        return new CardArg(label, balance(amount, currency));
    }

    /** An opening balance: the amount grammar of {@link Amounts}, zero included, up to the card's maximum balance. */
    static Money balance(String text, Currency currency) {
        return Amounts.balance(text, currency);
    }

    /** picocli's hook: a value that does not parse is reported as the option's invalid value. */
    static final class Converter implements ITypeConverter<CardArg> {
        @Override
        public CardArg convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** For commands where --card only builds the simulated SIM: a bare label is a mistake there. */
    static final class SpecConverter implements ITypeConverter<CardArg> {
        @Override
        public CardArg convert(String value) {
            CardArg c = new Converter().convert(value);
            if (!c.isSpec()) {
                throw new TypeConversionException("'" + value + "' has no balance: write " + SPEC_FORM
                        + ", e.g. 'Daily Wallet=15.00'");
            }
            return c;
        }
    }
}
