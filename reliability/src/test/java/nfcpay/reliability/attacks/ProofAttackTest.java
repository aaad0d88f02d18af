package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import nfcpay.card.Wire;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.Test;

/**
 * GET TRANSACTION PROVE for a transaction that never existed: a terminal (or an attacker claiming a
 * debit it never made) asks for the proof of a counter the card never used, or of the other type. The
 * card has no such proof (9406); only the counter of the last real transaction of that type has one.
 *
 * <p>Guards PurseApplet.processGetTransactionProve: {@code proof[PROOF_VALID] == 0 || counter differs ->
 * 9406} (lines 579-581).
 */
class ProofAttackTest {

    static List<String> attack(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        PurseTerminal t = sim.terminal(sim.card("Salary Card"));
        t.select();
        breach(breaches, t.prove(Wire.TRANSACTION_PURCHASE, 0).getSW() != 0x9406, "a proof before any purchase");
        PurseTerminal.Purchase.Result real = t.purchase(700);
        int counter = real.purchase().init().counter();
        breach(breaches, t.prove(Wire.TRANSACTION_PURCHASE, counter).getSW() != 0x9000, "no proof for the real purchase");
        for (int never : new int[] {counter + 1, counter + 2, 0x7FFF, 0xFFFF}) {
            breach(breaches, t.prove(Wire.TRANSACTION_PURCHASE, never).getSW() != 0x9406,
                    "a purchase proof for counter " + never + ", which never existed");
        }
        // the load counter of the initial load is 0; a purchase counter is no load
        breach(breaches, t.prove(Wire.TRANSACTION_LOAD, 1).getSW() != 0x9406, "a load proof for a load that never existed");
        return breaches;
    }

    @Test
    void aCounterThatNeverExistedHasNoProof() {
        assertThat(attack(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheCounterCheckAnyCounterGetsTheLastProof() {
        TransactionalSim sim = Wallets.without(Mutation.removeThrow(Wallets.PURSE, "processGetTransactionProve", 0x9406));
        assertThat(attack(sim)).anyMatch(b -> b.contains("never existed"));
    }
}
