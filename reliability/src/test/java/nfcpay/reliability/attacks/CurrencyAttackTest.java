package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.Test;

/**
 * Wrong currency: a terminal asks for 10.00 USD from a SIM whose default cards are in CNY. Only the USD
 * card may be chosen; without it, none (9401). Paying USD amounts from a CNY purse would move the wrong
 * money at the wrong rate.
 *
 * <p>Guards AccountRecords.covers: the record's currency must equal the GPO's (lines 47-48).
 */
class CurrencyAttackTest {

    private static TransactionalSim wallet(CardClassLoader loader) {
        return TransactionalSim.builder().loader(loader).card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Dollar Card", 5_000, Currency.getInstance("USD"), 5_000_000).build();
    }

    static List<String> attack(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        String usd = sim.card("Dollar Card").aidHex();
        String forUsd = Ppse.chosenAid(sim.ppse().choose(1_000, "0840"));
        breach(breaches, !usd.equals(forUsd), "10.00 USD went to " + forUsd);
        String beyondUsd = Ppse.chosenAid(sim.ppse().choose(20_000, "0840"));
        breach(breaches, beyondUsd != null, "200.00 USD, more than the USD card holds, went to " + beyondUsd);
        String forEur = Ppse.chosenAid(sim.ppse().choose(100, "0978"));
        breach(breaches, forEur != null, "1.00 EUR went to " + forEur);
        return breaches;
    }

    @Test
    void onlyACardInTheTerminalsCurrencyIsChosen() {
        assertThat(attack(wallet(CardClassLoader.genuine()))).isEmpty();
    }

    @Test
    void withoutTheCurrencyCheckACnyPursePaysInUsd() {
        CardClassLoader mutant = CardClassLoader.mutant(Mutation.replaceCall(Wallets.RECORDS, "covers",
                "javacard.framework.Util", "arrayCompare", 0, "no currency check"));
        assertThat(attack(wallet(mutant))).anyMatch(b -> b.startsWith("10.00 USD went to F000000824010101"));
    }
}
