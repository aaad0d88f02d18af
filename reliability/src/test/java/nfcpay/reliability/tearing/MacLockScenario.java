package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.util.ArrayList;
import java.util.List;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;

/**
 * A DEBIT with a wrong MAC1 after nine wrong ones: the tenth locks the purse (JR/T 0025: consecutive MAC
 * failures reaching the limit). Torn anywhere, the purse is either locked or still at nine failures; a
 * tear must never give an attacker a failure that was not counted, so one more wrong MAC then locks it.
 */
final class MacLockScenario implements TearScenario<MacLockScenario.State> {

    private static final String PURSE = "Salary Card";

    record State(TransactionalSim sim, PurseTerminal terminal, PurseTerminal.Purchase forged, HeapSnapshot before) {}

    private final CardClassLoader loader;

    MacLockScenario() {
        this(CardClassLoader.genuine());
    }

    /** On the applets of {@code loader}: a mutant for the controls. */
    MacLockScenario(CardClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public String name() {
        return "DEBIT, 10th wrong MAC1 (lock)"
                + (loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]");
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000).loader(loader).build();
        PurseTerminal t = sim.terminal(sim.card(PURSE));
        t.select();
        for (int i = 0; i < 9; i++) {
            PurseTerminal.Purchase forged = t.prepareDebit(t.initializePurchase(100), PurseTerminal.DATE, PurseTerminal.TIME, true);
            if (t.debit(forged).sw() != 0x9302) {
                throw new IllegalStateException("set-up MAC failure " + i + " not counted");
            }
        }
        PurseTerminal.Purchase forged = t.prepareDebit(t.initializePurchase(100), PurseTerminal.DATE, PurseTerminal.TIME, true);
        return new State(sim, t, forged, sim.card().snapshot());
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.terminal().debit(s.forged());
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        List<HeapSnapshot.Change> changes = s.sim().card().snapshot().diff(s.before());
        PurseTerminal t = s.terminal();
        t.select();
        int sw = t.initializePurchase(100).sw();
        boolean locked = sw == 0x9303;
        if (locked) {
            v.addAll(WalletInvariants.outside(changes, t.purse().aidHex()));
        } else {
            expect(v, sw == 0x9000, "INITIALIZE answers " + Integer.toHexString(sw));
            changes.forEach(c -> v.add("not locked, but " + c));
            // the nine failures are all still counted: one more locks
            t.select();
            PurseTerminal.Purchase again = t.prepareDebit(t.initializePurchase(100), PurseTerminal.DATE, PurseTerminal.TIME, true);
            expect(v, t.debit(again).sw() == 0x9303, "a tear reset the MAC failure count");
        }
        // locked now either way: smart selection skips it (its record says locked)
        String travel = s.sim().card("Travel Card").aidHex();
        expect(v, travel.equals(s.sim().ppse().chosen(20_000)), "smart selection still picks the locked purse");
        expect(v, Ppse.directory(s.sim().ppse().select()).size() == 3, "the PPSE directory changed");
        return new Outcome(locked, v);
    }
}
