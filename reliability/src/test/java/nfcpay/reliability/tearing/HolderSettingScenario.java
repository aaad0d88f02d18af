package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.smartcardio.CommandAPDU;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Holder;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.wallet.WalletCard;

/**
 * A holder change (SET STATUS, SET PRIORITY ORDER, SET SELECTION POLICY; docs/protocol.md 5.4 to 5.6)
 * in a verified holder session, torn at every persistence event. Whatever the tear, the holder finds the
 * wallet exactly as it was or exactly as the command leaves it (order, priorities, activation, policy:
 * never a mix), the registry consistent (GET STATUS lists every card once in priority order, the PPSE
 * lists the active ones in that order with the same priorities, smart selection chooses by the policy
 * from verifying records), the PIN untouched; a torn change, retried in a new session, then completes.
 *
 * @param loader the applets: genuine, or a mutant for a control
 * @param setUp holder commands sent (verified) before the one under test, each must answer 9000
 * @param command the command under test, given the SIM
 * @param after the holder state ({@link HolderInvariants.Wallet#holderState()}) the command must leave
 * @param holderOrder the command sets the holder's order: from then on a new registration joins the end
 *     instead of taking its issuer's priority (checked once the command has taken effect)
 * @param allowed what the command may change in the selector (see {@link HolderInvariants#changesBeyond})
 */
record HolderSettingScenario(String name, CardClassLoader loader, Function<TransactionalSim, List<CommandAPDU>> setUp,
        Function<TransactionalSim, CommandAPDU> command, String after, boolean holderOrder, String... allowed)
        implements TearScenario<HolderSettingScenario.State> {

    record State(TransactionalSim sim, String holderBefore, HeapSnapshot before) {}

    static HolderSettingScenario deactivate() {
        return deactivate(CardClassLoader.genuine());
    }

    static HolderSettingScenario deactivate(CardClassLoader loader) {
        String control = loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]";
        return new HolderSettingScenario("SET STATUS deactivate" + control, loader, sim -> List.of(),
                sim -> Holder.setStatus(sim.card("Salary Card"), false),
                "PRIORITY 01/1 02/2-off 03/3", false, ".registry.active", "PurseApplet.contactlessDeactivated");
    }

    static HolderSettingScenario activate() {
        return new HolderSettingScenario("SET STATUS activate", CardClassLoader.genuine(),
                sim -> List.of(Holder.setStatus(sim.card("Salary Card"), false)),
                sim -> Holder.setStatus(sim.card("Salary Card"), true),
                "PRIORITY 01/1 02/2 03/3", false, ".registry.active", "PurseApplet.contactlessDeactivated");
    }

    /** Travel Card first, then Daily Wallet; Salary Card follows; deactivated cards take part. */
    static HolderSettingScenario order(boolean withDeactivated) {
        return order(withDeactivated, CardClassLoader.genuine());
    }

    static HolderSettingScenario order(boolean withDeactivated, CardClassLoader loader) {
        String control = loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]";
        return new HolderSettingScenario("SET PRIORITY ORDER" + (withDeactivated ? ", a card deactivated" : "") + control, loader,
                sim -> withDeactivated ? List.of(Holder.setStatus(sim.card("Daily Wallet"), false)) : List.of(),
                sim -> Holder.setOrder(List.of(sim.card("Travel Card"), sim.card("Daily Wallet"))),
                withDeactivated ? "PRIORITY 03/1 01/2-off 02/3" : "PRIORITY 03/1 01/2 02/3", true,
                ".registry.priorities", ".registry.sequence", "Registry.nextSequence", "Registry.holderOrder");
    }

    static HolderSettingScenario policy() {
        return new HolderSettingScenario("SET SELECTION POLICY", CardClassLoader.genuine(), sim -> List.of(),
                sim -> Holder.setPolicy(SelectionPolicy.MOST_FUNDS), "MOST_FUNDS 01/1 02/2 03/3", false,
                "HolderCommands.policy");
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.builder().loader(loader).card("Daily Wallet", 1_500)
                .card("Salary Card", 32_000).card("Travel Card", 150_000).build();
        openVerified(sim);
        for (CommandAPDU c : setUp.apply(sim)) {
            if (sim.card().transmit(c).getSW() != 0x9000) {
                throw new IllegalStateException("set-up holder command refused");
            }
        }
        String before = HolderInvariants.wallet(sim).holderState();
        openVerified(sim);
        return new State(sim, before, sim.card().snapshot());
    }

    private static void openVerified(TransactionalSim sim) {
        sim.ppse().select();
        if (sim.card().transmit(Holder.verify(TransactionalSim.DEFAULT_HOLDER_PIN)).getSW() != 0x9000) {
            throw new IllegalStateException("set-up VERIFY refused");
        }
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.sim().card().transmit(command.apply(s.sim()));
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        TransactionalSim sim = s.sim();
        List<HeapSnapshot.Change> changes = sim.card().snapshot().diff(s.before());
        v.addAll(HolderInvariants.changesBeyond(changes, allowed));
        if (java.util.Arrays.asList(allowed).contains("PurseApplet.contactlessDeactivated")) {
            v.addAll(HolderInvariants.activationTogether(changes));
        }
        String state = HolderInvariants.wallet(sim).holderState();
        boolean happened = state.equals(after);
        expect(v, happened || state.equals(s.holderBefore()),
                "the holder finds " + state + ": neither " + s.holderBefore() + " nor " + after);
        v.addAll(HolderInvariants.registry(sim, sim.cards()));
        HolderInvariants.Pin pin = HolderInvariants.pin(sim, TransactionalSim.DEFAULT_HOLDER_PIN);
        expect(v, pin.tries() == 3 && pin.verifying().size() == 1 && !pin.verified(),
                "the PIN changed: " + pin);
        if (!happened) {
            openVerified(sim);
            int sw = sim.card().transmit(command.apply(sim)).getSW();
            expect(v, sw == 0x9000, "the retry answers " + Integer.toHexString(sw));
            expect(v, HolderInvariants.wallet(sim).holderState().equals(after), "the retry left " + HolderInvariants.wallet(sim).holderState());
        }
        // A late registration asking for priority 1, approved by the holder: it joins the end once the holder has
        // an order, and takes its issuer's priority before (a torn order must not have half switched the rule).
        RegistrationScenario.installRegistrant(sim);
        int sw = sim.card().transmit(RegistrationScenario.register("Late Card", 1, true)).getSW();
        expect(v, sw == 0x9000, "the late registration answers " + Integer.toHexString(sw));
        RegistrationScenario.approve(sim);
        List<WalletCard> cards = HolderInvariants.wallet(sim).cards();
        WalletCard late = cards.stream().filter(c -> c.aidHex().equals(RegistrationScenario.REGISTRANT_AID)).findFirst().orElse(null);
        int lastPriority = cards.stream().filter(c -> c != late).mapToInt(WalletCard::priority).max().orElse(0);
        expect(v, late != null && (holderOrder ? late == cards.get(cards.size() - 1) && late.priority() == lastPriority + 1
                : late.priority() == 1), "the late registration is listed as " + late + (holderOrder ? ", not at the end" : ", not with priority 1"));
        return new Outcome(happened, v);
    }
}
