package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.SimAssembly;
import nfcpay.card.link.Link;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.Personalizer;
import nfcpay.sim.SimCard;
import nfcpay.sim.wallet.WalletCard;

/**
 * The last STORE DATA block of a further purse on a SIM with 0..3 purses: the three keys, then registration with
 * the selector (a fresh credential in both applets) and the end of personalization. Whatever the tear
 * point, the purse is either personalized and in the PPSE with a credential that verifies, or not
 * personalized and not in the PPSE, with the selector as it was; then the bureau's retry of the
 * personalization completes it.
 */
final class PersonalizationScenario implements TearScenario<PersonalizationScenario.State> {

    private static final String PPSE = Bytes.hex(SimAssembly.ppseAid());

    record State(TransactionalSim sim, SimCard purse, PurseTerminal terminal, CommandAPDU lastBlock,
            HeapSnapshot before, List<String> directory) {}

    private final int existingPurses;

    /** @param existingPurses purses already on the SIM (0: the first registration into an empty registry) */
    PersonalizationScenario(int existingPurses) {
        this.existingPurses = existingPurses;
    }

    @Override
    public String name() {
        return "STORE DATA last block, purse #" + (existingPurses + 1);
    }

    @Override
    public State prepare() {
        TransactionalSim.Builder builder = TransactionalSim.builder();
        String[] labels = {"Daily Wallet", "Salary Card", "Travel Card"};
        long[] balances = {1_500, 32_000, 150_000};
        for (int i = 0; i < existingPurses; i++) {
            builder.card(labels[i], balances[i]);
        }
        TransactionalSim sim = builder.build();
        List<String> directory = Ppse.directory(sim.ppse().select());
        SimCard purse = sim.nextPurse("Tear Card");
        sim.installPurse(purse);
        PurseTerminal t = sim.terminal(purse);
        t.select();
        ResponseAPDU init = sim.card().transmit(Personalizer.initializePersonalization());
        if (init.getSW() != 0x9000) {
            throw new IllegalStateException("INITIALIZE PERSONALIZATION refused");
        }
        List<CommandAPDU> blocks = new Personalizer(sim.keys()).storeData(purse, init.getData());
        if (sim.card().transmit(blocks.get(0)).getSW() != 0x9000) {
            throw new IllegalStateException("first STORE DATA block refused");
        }
        return new State(sim, purse, t, blocks.get(1), sim.card().snapshot(), directory);
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.sim().card().transmit(s.lastBlock());
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        List<HeapSnapshot.Change> changes = s.sim().card().snapshot().diff(s.before());
        PurseTerminal t = s.terminal();
        t.select();
        long balance = t.balance();
        boolean personalized = balance >= 0;
        List<String> withPurse = new ArrayList<>(s.directory());
        withPurse.add(s.purse().aidHex());
        if (personalized) {
            expect(v, balance == 0, "personalized with balance " + balance);
            // registered new: out of the PPSE until the holder approves it (issue 14 item 3)
            v.addAll(WalletInvariants.check(s.sim(), s.directory(), Map.of()));
        } else {
            for (HeapSnapshot.Change c : changes) {
                if (c.path().startsWith(PPSE + "/")) {
                    v.add("not personalized, but the selector changed: " + c);
                }
            }
            v.addAll(WalletInvariants.check(s.sim(), s.directory(), Map.of()));
            // the bureau sees no 9000 and personalizes again, in a new session, from the first block
            t.select();
            try {
                new Personalizer(s.sim().keys()).personalize(s.sim().card()::transmit, s.purse());
            } catch (IllegalStateException refused) {
                v.add("the personalization retry: " + refused.getMessage());
            }
        }
        WalletCard listed = s.sim().holderSession().list().stream()
                .filter(c -> c.aidHex().equals(s.purse().aidHex())).findFirst().orElse(null);
        expect(v, listed != null && listed.isNew() && !listed.active(), "the personalized purse is listed as " + listed);
        RegistrationScenario.approve(s.sim(), s.purse().aidHex());
        // the purse must now take money and be chosen when only it covers the amount
        t.select();
        PurseTerminal issuer = new PurseTerminal(s.sim().transport(), s.purse(), s.sim().keys(), TransactionalSim.LOADER_TERMINAL_ID);
        expect(v, issuer.load(400_000).verified(), "the new purse does not take a load");
        v.addAll(WalletInvariants.check(s.sim(), withPurse, Map.of()));
        return new Outcome(personalized, v);
    }
}
