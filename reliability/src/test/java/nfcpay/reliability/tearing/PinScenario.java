package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Holder;
import nfcpay.reliability.sim.TransactionalSim;

/**
 * The holder PIN's commands (docs/protocol.md 5.2), torn at every persistence event, in a holder session
 * after {@code wrongBefore} wrong PINs. {@code OwnerPIN} spends the try before it compares and does not
 * give it back in a rollback, so:
 * <ul>
 *   <li>VERIFY with a wrong PIN: the try is spent or the command had not begun; pulling the power never
 *       buys a free guess (after a torn guess, the tries left are never more than a completed one would
 *       leave, and the guesses that follow are counted from there);</li>
 *   <li>VERIFY with the right PIN: the tries left are the ones before, one fewer (torn between the try
 *       and the comparison's reset: a tear can cost a try) or the limit, never more than before otherwise;</li>
 *   <li>CHANGE REFERENCE DATA: the PIN is the old one or the new one, never a mix of them, still usable,
 *       and the transport state ends exactly with the old PIN; a wrong old PIN spends a try and changes
 *       nothing else.</li>
 * </ul>
 * Whatever the tear, nothing but the selector's PIN (and its transport flag) changes, the verified state
 * does not survive it, and the registry stays consistent (PPSE, GET STATUS, smart selection).
 */
final class PinScenario implements TearScenario<PinScenario.State> {

    enum Kind {
        VERIFY_WRONG, VERIFY_RIGHT, CHANGE, CHANGE_WRONG_OLD
    }

    static final String WRONG = "9999";
    static final String NEW = "86420";

    private final Kind kind;
    private final int wrongBefore;
    private final boolean transportPin;
    private final CardClassLoader loader;

    PinScenario(Kind kind, int wrongBefore, boolean transportPin) {
        this(kind, wrongBefore, transportPin, CardClassLoader.genuine());
    }

    /** On the applets of {@code loader}: a mutant for the control. */
    PinScenario(Kind kind, int wrongBefore, boolean transportPin, CardClassLoader loader) {
        this.kind = kind;
        this.wrongBefore = wrongBefore;
        this.transportPin = transportPin;
        this.loader = loader;
    }

    record State(TransactionalSim sim, int triesBefore, HeapSnapshot before) {}

    @Override
    public String name() {
        String command = switch (kind) {
            case VERIFY_WRONG -> "VERIFY, wrong PIN";
            case VERIFY_RIGHT -> "VERIFY, right PIN";
            case CHANGE -> "CHANGE REFERENCE DATA" + (transportPin ? " from transport PIN" : "");
            case CHANGE_WRONG_OLD -> "CHANGE REFERENCE DATA, wrong old PIN";
        };
        return command + ", " + (Wire.PIN_TRY_LIMIT - wrongBefore) + " tries left"
                + (loader.mutations().isEmpty() ? "" : " [control: " + loader.mutations().get(0).description() + "]");
    }

    private String oldPin() {
        return transportPin ? "1234" : TransactionalSim.DEFAULT_HOLDER_PIN;
    }

    private CommandAPDU command() {
        return switch (kind) {
            case VERIFY_WRONG -> Holder.verify(WRONG);
            case VERIFY_RIGHT -> Holder.verify(oldPin());
            case CHANGE -> Holder.changeReferenceData(oldPin(), NEW);
            case CHANGE_WRONG_OLD -> Holder.changeReferenceData(WRONG, NEW);
        };
    }

    @Override
    public State prepare() {
        TransactionalSim.Builder builder = TransactionalSim.builder().card("Daily Wallet", 1_500)
                .card("Salary Card", 32_000).card("Travel Card", 150_000).loader(loader);
        TransactionalSim sim = (transportPin ? builder.transportPin() : builder).build();
        sim.ppse().select();
        for (int i = 0; i < wrongBefore; i++) {
            int sw = sim.card().transmit(Holder.verify(WRONG)).getSW();
            if (sw != (0x63C0 | (Wire.PIN_TRY_LIMIT - 1 - i))) {
                throw new IllegalStateException("set-up wrong PIN " + i + " answered " + Integer.toHexString(sw));
            }
        }
        return new State(sim, Wire.PIN_TRY_LIMIT - wrongBefore, sim.card().snapshot());
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.sim().card().transmit(command());
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        TransactionalSim sim = s.sim();
        v.addAll(HolderInvariants.changesBeyond(sim.card().snapshot().diff(s.before()), "OwnerPIN.", "HolderCommands.transportPin"));
        HolderInvariants.Pin pin = HolderInvariants.pin(sim, oldPin(), NEW);
        int before = s.triesBefore();
        int limit = Wire.PIN_TRY_LIMIT;
        expect(v, !pin.verified(), "the verified state survived the power loss");
        boolean isNew = pin.verifying().equals(List.of(NEW));
        boolean isOld = pin.verifying().equals(List.of(oldPin()));
        boolean happened;
        switch (kind) {
            case VERIFY_WRONG, CHANGE_WRONG_OLD -> {
                expect(v, Set.of(before, before - 1).contains(pin.tries()),
                        pin.tries() + " tries left, expected " + before + " or " + (before - 1));
                happened = pin.tries() == before - 1;
                expect(v, pin.tries() == 0 ? pin.verifying().isEmpty() : isOld,
                        "the PIN verifies as " + pin.verifying() + ", expected the old one (unless blocked)");
                if (pin.tries() == 0) {
                    sim.ppse().select();
                    int sw = sim.card().transmit(Holder.verify(oldPin())).getSW();
                    expect(v, sw == Wire.SW_PIN_BLOCKED, "a blocked PIN answers " + Integer.toHexString(sw) + " to the right one");
                }
            }
            case VERIFY_RIGHT -> {
                expect(v, Set.of(before, before - 1, limit).contains(pin.tries()),
                        pin.tries() + " tries left, expected " + before + ", " + (before - 1) + " or " + limit);
                happened = pin.tries() != before;
                expect(v, pin.tries() == 0 || isOld, "the PIN verifies as " + pin.verifying());
            }
            default -> {
                happened = isNew;
                expect(v, isNew || isOld, "the PIN verifies as " + pin.verifying() + ": neither the old one nor the new");
                expect(v, pin.tries() > 0, "the PIN is blocked");
                expect(v, isNew ? Set.of(limit, limit - 1).contains(pin.tries())
                        : Set.of(before, before - 1, limit).contains(pin.tries()),
                        pin.tries() + " tries left with the " + (isNew ? "new" : "old") + " PIN");
                expect(v, pin.transport() == (transportPin && !isNew),
                        "transport PIN flag " + pin.transport() + " with the " + (isNew ? "new" : "old") + " PIN");
            }
        }
        v.addAll(HolderInvariants.registry(sim, sim.cards()));
        if (kind == Kind.VERIFY_WRONG || kind == Kind.CHANGE_WRONG_OLD) {
            // the next wrong guess is counted from what the card kept
            sim.ppse().select();
            int sw = sim.card().transmit(Holder.verify(WRONG)).getSW();
            int expected = pin.tries() == 0 ? Wire.SW_PIN_BLOCKED : 0x63C0 | (pin.tries() - 1);
            expect(v, sw == expected, "the next wrong guess answers " + Integer.toHexString(sw) + ", expected "
                    + Integer.toHexString(expected));
        }
        if (kind == Kind.CHANGE && !isNew && pin.tries() > 0) {
            // the holder tries again, and it works
            sim.ppse().select();
            int sw = sim.card().transmit(command()).getSW();
            expect(v, sw == 0x9000, "the retried CHANGE REFERENCE DATA answers " + Integer.toHexString(sw));
            expect(v, HolderInvariants.pin(sim, oldPin(), NEW).verifying().equals(List.of(NEW)), "the retry did not set the new PIN");
        }
        return new Outcome(happened, v);
    }
}
