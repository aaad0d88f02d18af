package nfcpay.cli;

import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.money.Money;

/**
 * wallet remove deletes the purse application and its balance with it. Money must not vanish without a word:
 * a card that holds money, or the only card (after it the SIM cannot pay at all), is removed with --force only,
 * and the answer says what was destroyed.
 */
final class RemovalGuard {

    private RemovalGuard() {}

    /**
     * @return what the removal destroys, as a clause for the answer ("" when nothing)
     * @throws TerminalException without {@code force}, naming the balance or saying the card is the only one
     */
    static String check(SimulatedSim sim, String label, boolean force) throws TerminalException {
        SimCard card = sim.card(label).orElseThrow(() -> new TerminalException("no card labelled " + label));
        Money balance = Money.of(sim.balance(label), card.currency());
        boolean only = sim.cards().size() == 1;
        if (balance.minor() == 0 && !only) {
            return "";
        }
        String why = label + (balance.minor() > 0 ? " holds " + Text.money(balance) : " holds nothing")
                + (only ? " and is the only card on the SIM" : "");
        if (!force) {
            throw new TerminalException(why + ": removing it destroys "
                    + (balance.minor() > 0 ? "that balance" : "the SIM's last card") + "; --force removes it anyway");
        }
        return balance.minor() > 0 ? ", its balance of " + Text.money(balance) + " destroyed" : "";
    }
}
