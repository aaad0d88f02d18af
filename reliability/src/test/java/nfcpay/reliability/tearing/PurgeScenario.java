package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.TransactionalSim;

/**
 * SELECT PPSE after a card application was deleted: the selector purges its registry entry and destroys
 * its credential in one transaction (docs/protocol.md 2.4). Torn anywhere, the other entries and their
 * credentials stay intact and the deleted one is never listed.
 */
final class PurgeScenario implements TearScenario<PurgeScenario.State> {

    record State(TransactionalSim sim, HeapSnapshot before, List<String> remaining) {}

    @Override
    public String name() {
        return "SELECT PPSE purging a deleted purse";
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.defaultWallet();
        sim.card().delete(sim.card("Salary Card").aid());
        List<String> remaining = List.of(sim.card("Daily Wallet").aidHex(), sim.card("Travel Card").aidHex());
        return new State(sim, sim.card().snapshot(), remaining);
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.sim().ppse().select();
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        List<HeapSnapshot.Change> changes = s.sim().card().snapshot().diff(s.before());
        boolean happened = !changes.isEmpty();
        if (happened) {
            v.addAll(WalletInvariants.outside(changes, "325041592E5359532E4444463031"));
        }
        expect(v, !happened || completed, "purged although torn");
        v.addAll(WalletInvariants.check(s.sim(), s.remaining(), Map.of()));
        return new Outcome(happened, v);
    }
}
