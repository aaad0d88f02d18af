package nfcpay.cli;

import java.util.Currency;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.money.Money;

/**
 * The command line's amounts, for --amount, --card LABEL=AMOUNT and wallet add --balance alike, all in the one
 * amount grammar of {@link Money#parseNonNegative}: what each option adds is its own bound.
 */
final class Amounts {

    private Amounts() {}

    /** A payment or load amount: above zero and within the card's 4-byte range. */
    static Money amount(String text, Currency currency) {
        return Money.parse(text, currency);
    }

    /**
     * An opening balance of a simulated card: zero is fine, and above the card's maximum balance (CNY 50000.00
     * on the simulated SIM) is refused rather than raising that maximum.
     */
    static Money balance(String text, Currency currency) {
        Money m = Money.parseNonNegative(text, currency);
        if (m.minor() > SimulatedSim.DEFAULT_MAX_BALANCE) {
            throw new IllegalArgumentException("balance " + text + " is above the card's maximum balance "
                    + Text.money(Money.of(SimulatedSim.DEFAULT_MAX_BALANCE, currency)));
        }
        return m;
    }
}
