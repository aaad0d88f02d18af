package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.smartcardio.CommandAPDU;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimAssembly;
import nfcpay.sim.SimCard;
import nfcpay.sim.wallet.AccountStatus;
import nfcpay.sim.wallet.WalletCard;

/**
 * A purse rejoining a reinstalled selector on its contact SELECT (docs/protocol.md 2.4, "Coming back"): the
 * selector's new entry, the purse's fresh credential and its "deactivated until the holder says otherwise" land in
 * one transaction. Torn anywhere, the purse is either unknown to the selector (and the next SELECT registers it) or
 * listed new with a record that verifies; approved by the holder, smart selection pays with it.
 */
final class RejoinScenario implements TearScenario<RejoinScenario.State> {

    record State(TransactionalSim sim, SimCard purse, HeapSnapshot before) {}

    private final CardClassLoader loader;

    /** @param loader the applets: genuine, or a mutant for a control */
    RejoinScenario(CardClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public String name() {
        String control = loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]";
        return "contact SELECT of a purse after the selector was reinstalled" + control;
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.builder().loader(loader).card("Daily Wallet", 1_500)
                .card("Salary Card", 32_000).card("Travel Card", 150_000).build();
        sim.card().delete(SimAssembly.ppseAid());
        SimAssembly.installSelector(sim.card().platform(), false, SelectionPolicy.PRIORITY,
                TransactionalSim.DEFAULT_HOLDER_PIN.getBytes(StandardCharsets.US_ASCII));
        sim.card().platform().reset();
        return new State(sim, sim.card("Salary Card"), sim.card().snapshot());
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        select(s);
    }

    private static void select(State s) {
        s.sim().card().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, s.purse().aid(), 256));
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        TransactionalSim sim = s.sim();
        List<HeapSnapshot.Change> changes = sim.card().snapshot().diff(s.before());
        WalletCard listed = listed(sim, s.purse());
        boolean happened = listed != null;
        if (!happened) {
            expect(v, !completed, "the completed SELECT left the purse unknown to the selector");
            for (HeapSnapshot.Change c : changes) {
                if (c.path().contains("Registry") || c.path().contains("PurseApplet")) {
                    v.add("not registered, but " + c);
                }
            }
            select(s); // the next contact SELECT rejoins
            listed = listed(sim, s.purse());
            expect(v, listed != null, "the retried SELECT did not rejoin");
        }
        expect(v, listed != null && listed.isNew() && !listed.active(), "the rejoined purse is listed as " + listed);
        expect(v, listed != null && listed.account() == AccountStatus.ACTIVE,
                "the rejoined purse's record does not verify: " + listed);
        RegistrationScenario.approve(sim, s.purse().aidHex());
        v.addAll(WalletInvariants.check(sim, List.of(s.purse().aidHex()), Map.of()));
        return new Outcome(happened, v);
    }

    private static WalletCard listed(TransactionalSim sim, SimCard purse) {
        return sim.holderSession().list().stream().filter(c -> c.aidHex().equals(purse.aidHex())).findFirst()
                .orElse(null);
    }
}
