package nfcpay.reliability.tearing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nfcpay.sim.SimAssembly;
import nfcpay.card.link.Link;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.wallet.HolderException;
import nfcpay.sim.wallet.HolderSession;
import nfcpay.sim.wallet.Tlv;
import nfcpay.sim.wallet.WalletCard;
import nfcpay.sim.wallet.WalletSettings;

/**
 * What must hold after a tear of a holder command (docs/protocol.md 5), read the way the holder's wallet
 * and a terminal read it: the registry as GET STATUS lists it, the PPSE directory and smart selection in
 * agreement with it, and the holder PIN.
 */
final class HolderInvariants {

    static final String PPSE_ROOT = Bytes.hex(SimAssembly.ppseAid());

    private HolderInvariants() {}

    /** The holder's view of the wallet: every registered application in listing order, and the settings. */
    record Wallet(List<WalletCard> cards, SelectionPolicy policy) {
        List<String> aids() {
            return cards.stream().map(WalletCard::aidHex).toList();
        }

        /** AID, priority and activation of each application, in listing order, and the policy: what the holder set. */
        String holderState() {
            StringBuilder out = new StringBuilder(policy.name());
            for (WalletCard c : cards) {
                out.append(' ').append(c.aidHex(), c.aidHex().length() - 2, c.aidHex().length())
                        .append('/').append(c.priority()).append(c.active() ? "" : "-off");
            }
            return out.toString();
        }

        List<String> activeAids() {
            return cards.stream().filter(WalletCard::active).map(WalletCard::aidHex).toList();
        }
    }

    static Wallet wallet(TransactionalSim sim) {
        HolderSession session = sim.holderSession();
        return new Wallet(session.list(), session.settings().policy());
    }

    /**
     * The registry is consistent: GET STATUS lists each of {@code registered} exactly once, in priority
     * order; the PPSE directory is exactly its active applications, in that order, with the same
     * priorities; and smart selection, by the policy GET DATA reports, still chooses from verifying records.
     */
    static List<String> registry(TransactionalSim sim, List<SimCard> registered) {
        List<String> v = new ArrayList<>();
        Wallet wallet = wallet(sim);
        List<String> expected = registered.stream().map(SimCard::aidHex).sorted().toList();
        if (!wallet.aids().stream().sorted().toList().equals(expected)) {
            v.add("GET STATUS lists " + wallet.aids() + ", expected each of " + expected + " once");
            return v;
        }
        for (int i = 1; i < wallet.cards().size(); i++) {
            if (wallet.cards().get(i - 1).priority() > wallet.cards().get(i).priority()) {
                v.add("GET STATUS is not in priority order: " + wallet.holderState());
            }
        }
        byte[] fci = sim.ppse().select().getData();
        List<String> directory = new ArrayList<>();
        for (Tlv entry : Tlv.findAll(fci, 0x61)) {
            String aid = Bytes.hex(entry.get(0x4F).value());
            directory.add(aid);
            int priority = entry.get(0x87).value()[0] & 0xFF;
            WalletCard listed = wallet.cards().stream().filter(c -> c.aidHex().equals(aid)).findFirst().orElse(null);
            if (listed != null && listed.priority() != priority) {
                v.add("the PPSE gives " + aid + " priority " + priority + ", GET STATUS " + listed.priority());
            }
        }
        if (!directory.equals(wallet.activeAids())) {
            v.add("the PPSE lists " + directory + ", the active applications are " + wallet.activeAids());
            return v;
        }
        v.addAll(WalletInvariants.check(sim, directory, Map.of(), wallet.policy()));
        return v;
    }

    /** The PIN as the holder finds it: tries left, transport state, and which candidates verify. */
    record Pin(int tries, boolean transport, boolean verified, List<String> verifying) {}

    /**
     * Reads the PIN state, then presents each candidate from that same state: the card is checkpointed
     * and brought back after each presentation, so probing spends no try.
     */
    static Pin pin(TransactionalSim sim, String... candidates) {
        TransactionalCard card = sim.card();
        WalletSettings settings = sim.holderSession().settings();
        List<String> verifying = new ArrayList<>();
        for (String candidate : candidates) {
            card.checkpoint();
            try {
                sim.holderSession().verify(candidate.toCharArray());
                verifying.add(candidate);
            } catch (HolderException e) {
                // wrong (63Cx) or blocked (6983)
            } finally {
                card.restoreCheckpoint();
            }
        }
        return new Pin(settings.pinTriesLeft(), settings.transportPin(), settings.pinVerified(), verifying);
    }

    /**
     * Changes outside the selector, or to selector state other than {@code allowed}: fragments of
     * {@code path + " " + slot}, e.g. {@code "OwnerPIN."} or {@code ".registry.priorities"}.
     */
    /** A purse field a holder command may change too, when it is listed (SET STATUS tells the purse). */
    static final String PURSE_FIELD = "PurseApplet.";

    /**
     * SET STATUS changes the directory and the purse together (docs/protocol.md 5.4): after any tear, the selector's
     * active flag changed exactly when the purse's contactless flag did.
     */
    static List<String> activationTogether(List<HeapSnapshot.Change> changes) {
        boolean directory = changes.stream().anyMatch(c -> (c.path() + " " + c.slot()).contains(".registry.active"));
        boolean purse = changes.stream().anyMatch(c -> c.slot().equals("PurseApplet.contactlessDeactivated"));
        return directory == purse ? List.of()
                : List.of("the directory's activation " + (directory ? "changed" : "stayed") + " but the purse's "
                        + (purse ? "changed" : "stayed"));
    }

    static List<String> changesBeyond(List<HeapSnapshot.Change> changes, String... allowed) {
        List<String> stray = new ArrayList<>();
        for (HeapSnapshot.Change change : changes) {
            String where = change.path() + " " + change.slot();
            boolean ok = change.path().startsWith(PPSE_ROOT + "/") || change.slot().startsWith(PURSE_FIELD);
            boolean listed = false;
            for (String fragment : allowed) {
                listed |= where.contains(fragment);
            }
            if (!ok || !listed) {
                stray.add("unexpected change " + change);
            }
        }
        return stray;
    }
}
