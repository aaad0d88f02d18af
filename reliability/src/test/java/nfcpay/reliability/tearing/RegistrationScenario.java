package nfcpay.reliability.tearing;

import static nfcpay.reliability.tearing.WalletInvariants.expect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.smartcardio.CommandAPDU;
import nfcpay.crypto.PbocCrypto;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.BigEndian;
import nfcpay.sim.wallet.HolderSession;
import nfcpay.sim.wallet.Tlv;
import nfcpay.sim.wallet.WalletCard;

/**
 * Registration through the selector's {@code SelectorRegistry}, apart from personalization: a card
 * application ({@code RegistrantApplet}) registers for the first time, or registers again with a new
 * label (which re-keys its credential). The selector's registry update and the application's credential
 * must land together or not at all, and nothing else in the registry may move.
 *
 * <p>A registration starts new (out of the PPSE until the holder activates it, issue 14 item 3): the scenario reads
 * the registry through the holder's listing, and has the holder approve the registrant ({@link #approve}) before it
 * checks that the PPSE and smart selection take it with its new credential.
 *
 * <p>With {@code atomic = false} the registrant stores its credential after the selector's own
 * transaction, which the tearing must catch: a control that the harness finds cross-applet gaps.
 */
final class RegistrationScenario implements TearScenario<RegistrationScenario.State> {

    static final String REGISTRANT_AID = "F0000008249902";
    static final String REGISTRANT_CLASS = "nfcpay.reliability.applets.RegistrantApplet";
    /** More than any purse holds, so that only the registrant covers it when its record verifies. */
    static final long REGISTRANT_BALANCE = 9_000_000;

    private final boolean again;
    private final boolean atomic;

    RegistrationScenario(boolean again, boolean atomic) {
        this.again = again;
        this.atomic = atomic;
    }

    record State(TransactionalSim sim, HeapSnapshot before, List<String> directory, List<String> registered) {}

    @Override
    public String name() {
        return (again ? "registration again (re-keying)" : "registration, first")
                + (atomic ? "" : " [control: registrant not atomic]");
    }

    static CommandAPDU register(String label, int priority, boolean atomic) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        return new CommandAPDU(0x80, 0x10, atomic ? 1 : 0, 0x00, PbocCrypto.concat(new byte[] {(byte) l.length}, l, new byte[] {(byte) priority}));
    }

    static void installRegistrant(TransactionalSim sim) {
        TransactionalCard card = sim.card();
        card.install(Bytes.hex(REGISTRANT_AID), REGISTRANT_CLASS, new byte[0]);
        card.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, Bytes.hex(REGISTRANT_AID)));
        card.transmit(new CommandAPDU(0x80, 0x20, 0x00, 0x00, BigEndian.uint32(REGISTRANT_BALANCE)));
    }

    @Override
    public State prepare() {
        TransactionalSim sim = TransactionalSim.defaultWallet();
        List<String> directory = Ppse.directory(sim.ppse().select());
        installRegistrant(sim);
        List<String> registered = new ArrayList<>(directory);
        registered.add(REGISTRANT_AID);
        if (again) {
            if (sim.card().transmit(register("Old Label", 5, true)).getSW() != 0x9000) {
                throw new IllegalStateException("set-up registration refused");
            }
            approve(sim);
            directory = registered;
        }
        sim.card().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, Bytes.hex(REGISTRANT_AID)));
        return new State(sim, sim.card().snapshot(), directory, registered);
    }

    @Override
    public TransactionalCard card(State s) {
        return s.sim().card();
    }

    @Override
    public void run(State s) {
        s.sim().card().transmit(register("New Label", 5, atomic));
    }

    @Override
    public Outcome check(State s, boolean completed) {
        List<String> v = new ArrayList<>();
        List<HeapSnapshot.Change> changes = s.sim().card().snapshot().diff(s.before());
        String label = listedLabel(s.sim());
        boolean happened = "New Label".equals(label);
        if (!happened) {
            changes.forEach(c -> v.add("not registered anew, but " + c));
            if (!again) {
                expect(v, label == null, "listed with label " + label);
            }
            v.addAll(WalletInvariants.check(s.sim(), s.directory(), Map.of(REGISTRANT_AID, REGISTRANT_BALANCE)));
            s.sim().card().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, Bytes.hex(REGISTRANT_AID)));
            int sw = s.sim().card().transmit(register("New Label", 5, true)).getSW();
            expect(v, sw == 0x9000, "the registration retry answers " + Integer.toHexString(sw));
        }
        WalletCard registrant = listed(s.sim());
        expect(v, registrant != null && registrant.isNew() && !registrant.active(),
                "the registration is not new and inactive: " + registrant);
        approve(s.sim());
        v.addAll(WalletInvariants.check(s.sim(), s.registered(), Map.of(REGISTRANT_AID, REGISTRANT_BALANCE)));
        expect(v, "New Label".equals(labelOf(s.sim().ppse().select().getData())), "the registrant's label is not the new one");
        return new Outcome(happened, v);
    }

    /** The registrant as the holder's listing shows it, null when the selector does not know it. */
    static WalletCard listed(TransactionalSim sim) {
        return sim.holderSession().list().stream().filter(c -> c.aidHex().equals(REGISTRANT_AID)).findFirst()
                .orElse(null);
    }

    private static String listedLabel(TransactionalSim sim) {
        WalletCard c = listed(sim);
        return c == null ? null : c.label();
    }

    /** The holder's approval of the registrant: VERIFY the PIN, SET STATUS activate, over the contact interface. */
    static void approve(TransactionalSim sim) {
        approve(sim, REGISTRANT_AID);
    }

    /** The same for any registered application {@code aidHex}. */
    static void approve(TransactionalSim sim, String aidHex) {
        HolderSession wallet = sim.holderSession();
        wallet.verify(TransactionalSim.DEFAULT_HOLDER_PIN.toCharArray());
        wallet.activate(aidHex);
    }

    /** The label (tag 50) of the registrant's PPSE directory entry, null if it is not listed. */
    private static String labelOf(byte[] fci) {
        for (Tlv entry : Tlv.findAll(fci, 0x61)) {
            if (Bytes.hex(entry.get(0x4F).value()).equals(REGISTRANT_AID)) {
                return new String(entry.get(0x50).value(), StandardCharsets.US_ASCII);
            }
        }
        return null;
    }
}
