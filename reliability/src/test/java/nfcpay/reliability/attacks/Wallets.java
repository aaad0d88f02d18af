package nfcpay.reliability.attacks;

import java.util.List;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.TransactionalSim;

/**
 * The demo wallet with the genuine applets, or with a defence taken out ({@link Mutation}). Every attack
 * test runs its attack on both: it must find nothing on the genuine card and get through on the mutant,
 * which shows the test depends on that defence and not on something else.
 */
final class Wallets {

    static final String PURSE = "nfcpay.card.purse.PurseApplet";
    static final String SELECTOR = "nfcpay.card.selector.SelectorApplet";
    static final String RECORDS = "nfcpay.card.selector.AccountRecords";

    private Wallets() {}

    static TransactionalSim genuine() {
        return TransactionalSim.defaultWallet();
    }

    static TransactionalSim without(Mutation... defence) {
        return demo(TransactionalSim.builder().loader(CardClassLoader.mutant(defence)));
    }

    static TransactionalSim demo(TransactionalSim.Builder builder) {
        return builder.card("Daily Wallet", 1_500).card("Salary Card", 32_000).card("Travel Card", 150_000).build();
    }

    /** A breach: what the attacker got that the contract forbids. */
    static void breach(List<String> breaches, boolean happened, String what) {
        if (happened) {
            breaches.add(what);
        }
    }
}
