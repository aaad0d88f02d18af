package nfcpay.cli;

import java.util.Currency;
import nfcpay.terminal.money.Money;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --amount and --currency, read into {@link Money} (never a double). */
final class AmountOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--amount", required = true, paramLabel = "AMOUNT",
            description = "The amount in major units, e.g. 12.34, 12 or 12.: digits, above zero, no sign or space, no more decimals"
                    + " than the currency has.")
    String amount;

    @Option(names = "--currency", paramLabel = "CUR", defaultValue = "CNY",
            description = "Its ISO 4217 currency (default: ${DEFAULT-VALUE}).")
    String currency;

    /** The amount, or a ParameterException naming what is wrong with it. */
    Money money() {
        Currency c;
        try {
            c = Money.currency(currency);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--currency: " + e.getMessage());
        }
        try {
            return Amounts.amount(amount, c);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--amount: " + e.getMessage());
        }
    }
}
