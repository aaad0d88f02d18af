package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;

/**
 * CREDIT FOR LOAD of 50.00 on the Salary Card, after the initial load and possibly more. The online counter tells whether
 * it happened; then GET TRANSACTION PROVE (load) must return the MAC2 the card verified and its TAC.
 */
final class CreditScenario implements TearScenario<CreditScenario.State> {

    static final long AMOUNT = 5_000;
    private static final String PURSE = "Salary Card";

    record State(TransactionalSim sim, PurseTerminal terminal, PurseTerminal.Load load, HeapSnapshot before,
            PurseTerminal.State purse, byte[] previousProof, List<String> directory) {}

    private final int previousLoads;
    private final CardClassLoader loader;

    /** @param previousLoads loads before the torn one, besides the initial load of the SIM */
    CreditScenario(int previousLoads) {
        this(previousLoads, CardClassLoader.genuine());
    }

    /** On the applets of {@code loader}: a mutant for the controls. */
    CreditScenario(int previousLoads, CardClassLoader loader) {
        this.previousLoads = previousLoads;
        this.loader = loader;
    }

    @Override
    public String name() {
        return "CREDIT FOR LOAD after " + (previousLoads + 1) + " loads"
                + (loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]");
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000).loader(loader).build();
        PurseTerminal t = sim.terminal(sim.card(PURSE));
        t.select();
        byte[] previousProof = null;
        for (int i = 0; i < previousLoads; i++) {
            PurseTerminal.Load.Result previous = t.load(700);
            if (!previous.verified()) {
                throw new IllegalStateException("set-up load failed");
            }
            previousProof = previous.load().expectedProof();
        }
        List<String> directory = Ppse.directory(sim.ppse().select());
        t.select();
        PurseTerminal.State purse = t.state();
        PurseTerminal.Initialize init = t.initializeLoad(AMOUNT);
        PurseTerminal.Load load = t.prepareCredit(init, PurseTerminal.DATE, PurseTerminal.TIME, false);
        return new State(sim, t, load, sim.card().snapshot(), purse, previousProof, directory);
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.terminal().credit(s.load());
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        List<HeapSnapshot.Change> changes = s.sim().card().snapshot().diff(s.before());
        PurseTerminal t = s.terminal();
        t.select();
        PurseTerminal.State now = t.state();
        int counter = s.purse().onlineCounter();
        boolean happened = now.onlineCounter() == counter + 1;
        if (happened) {
            expect(v, now.balance() == s.purse().balance() + AMOUNT, "credited, but balance " + now.balance());
            expect(v, now.newestRecord().equals(Bytes.hex(s.load().expectedRecord()) + "9000"),
                    "credited, but the newest log record is " + now.newestRecord());
            ResponseAPDU proof = t.prove(Wire.TRANSACTION_LOAD, counter);
            expect(v, WalletInvariants.hex(proof).equals(Bytes.hex(s.load().expectedProof()) + "9000"),
                    "credited, but GET TRANSACTION PROVE answers " + WalletInvariants.hex(proof));
            v.addAll(WalletInvariants.outside(changes, s.terminal().purse().aidHex()));
        } else if (now.onlineCounter() == counter) {
            expect(v, now.balance() == s.purse().balance(), "not credited, but balance " + now.balance());
            expect(v, now.newestRecord().equals(s.purse().newestRecord()), "not credited, but the log changed");
            ResponseAPDU proof = t.prove(Wire.TRANSACTION_LOAD, counter);
            expect(v, proof.getSW() == 0x9406, "not credited, but a proof for its counter: " + WalletInvariants.hex(proof));
            if (s.previousProof() != null) {
                ResponseAPDU previous = t.prove(Wire.TRANSACTION_LOAD, counter - 1);
                expect(v, WalletInvariants.hex(previous).equals(Bytes.hex(s.previousProof()) + "9000"),
                        "not credited, but the previous proof is gone");
            }
            // The MAC attempt is counted before the MAC is compared (docs/protocol.md 3.5): torn after the count and
            // before the good MAC resets it, the purse keeps that one attempt, which the next good MAC clears.
            changes.stream().filter(c -> !WalletInvariants.oneMacAttemptCounted(c))
                    .forEach(c -> v.add("not credited, but " + c));
        } else {
            v.add("online counter " + now.onlineCounter() + " after " + counter);
        }
        v.addAll(WalletInvariants.check(s.sim(), s.directory(), Map.of()));
        t.select();
        expect(v, t.load(100).verified(), "the purse no longer completes a load");
        return new Outcome(happened, v);
    }
}
