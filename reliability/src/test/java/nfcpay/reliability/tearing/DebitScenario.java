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
 * DEBIT FOR PURCHASE of 25.00 on the Salary Card of the demo wallet, after earlier purchases (none, or
 * enough that the new record is the tenth, or overwrites the oldest of the cyclic log). After the tear the terminal taps again (PROTOCOL.md 4): an
 * offline counter one above means the debit happened, and then GET TRANSACTION PROVE must return its
 * MAC2 | TAC; otherwise nothing of it may be on the card.
 */
final class DebitScenario implements TearScenario<DebitScenario.State> {

    static final long AMOUNT = 2_500;
    private static final String PURSE = "Salary Card";

    record State(TransactionalSim sim, PurseTerminal terminal, PurseTerminal.Purchase purchase, HeapSnapshot before,
            PurseTerminal.State purse, byte[] previousProof, List<String> directory) {}

    private final int previousPurchases;
    private final CardClassLoader loader;

    /** @param previousPurchases purchases before the torn one: 0, a few, or enough to wrap the 10-record log */
    DebitScenario(int previousPurchases) {
        this(previousPurchases, CardClassLoader.genuine());
    }

    /** On the applets of {@code loader}: a mutant for the controls. */
    DebitScenario(int previousPurchases, CardClassLoader loader) {
        this.previousPurchases = previousPurchases;
        this.loader = loader;
    }

    @Override
    public String name() {
        return "DEBIT FOR PURCHASE after " + previousPurchases + " purchases"
                + (loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]");
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000)
                .card("Travel Card", 150_000).loader(loader).build();
        PurseTerminal t = sim.terminal(sim.card(PURSE));
        t.select();
        byte[] previousProof = null;
        for (int i = 0; i < previousPurchases; i++) {
            PurseTerminal.Purchase.Result previous = t.purchase(1_000);
            if (!previous.verified()) {
                throw new IllegalStateException("set-up purchase failed");
            }
            previousProof = previous.purchase().expectedProof();
        }
        List<String> directory = Ppse.directory(sim.ppse().select());
        t.select();
        PurseTerminal.State purse = t.state();
        PurseTerminal.Initialize init = t.initializePurchase(AMOUNT);
        PurseTerminal.Purchase purchase = t.prepareDebit(init, PurseTerminal.DATE, PurseTerminal.TIME, false);
        return new State(sim, t, purchase, sim.card().snapshot(), purse, previousProof, directory);
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.terminal().debit(s.purchase());
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        List<HeapSnapshot.Change> changes = s.sim().card().snapshot().diff(s.before());
        PurseTerminal t = s.terminal();
        t.select();
        PurseTerminal.State now = t.state();
        int counter = s.purse().offlineCounter();
        boolean happened = now.offlineCounter() == counter + 1;
        if (happened) {
            expect(v, now.balance() == s.purse().balance() - AMOUNT, "debited, but balance " + now.balance());
            expect(v, now.newestRecord().equals(Bytes.hex(s.purchase().expectedRecord()) + "9000"),
                    "debited, but the newest log record is " + now.newestRecord());
            ResponseAPDU proof = t.prove(Wire.TRANSACTION_PURCHASE, counter);
            expect(v, WalletInvariants.hex(proof).equals(Bytes.hex(s.purchase().expectedProof()) + "9000"),
                    "debited, but GET TRANSACTION PROVE answers " + WalletInvariants.hex(proof));
            expect(v, WalletInvariants.hex(t.readRecord(2)).equals(s.purse().newestRecord()),
                    "debited, but the previous record moved");
            v.addAll(WalletInvariants.outside(changes, s.terminal().purse().aidHex()));
        } else if (now.offlineCounter() == counter) {
            expect(v, now.balance() == s.purse().balance(), "not debited, but balance " + now.balance());
            expect(v, now.newestRecord().equals(s.purse().newestRecord()), "not debited, but the log changed");
            ResponseAPDU proof = t.prove(Wire.TRANSACTION_PURCHASE, counter);
            expect(v, proof.getSW() == 0x9406, "not debited, but a proof for its counter: " + WalletInvariants.hex(proof));
            if (s.previousProof() != null) {
                ResponseAPDU previous = t.prove(Wire.TRANSACTION_PURCHASE, counter - 1);
                expect(v, WalletInvariants.hex(previous).equals(Bytes.hex(s.previousProof()) + "9000"),
                        "not debited, but the previous proof is gone: " + WalletInvariants.hex(previous));
            }
            // The MAC attempt is counted before the MAC is compared (docs/protocol.md 3.5): torn after the count and
            // before the good MAC resets it, the purse keeps that one attempt, which the next good MAC clears.
            changes.stream().filter(c -> !WalletInvariants.oneMacAttemptCounted(c))
                    .forEach(c -> v.add("not debited, but " + c));
        } else {
            v.add("offline counter " + now.offlineCounter() + " after " + counter);
        }
        v.addAll(WalletInvariants.check(s.sim(), s.directory(), Map.of()));
        t.select();
        expect(v, t.purchase(100).verified(), "the purse no longer completes a purchase");
        return new Outcome(happened, v);
    }
}
