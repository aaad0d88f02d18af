package nfcpay.reliability.tearing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.smartcardio.ResponseAPDU;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;

/**
 * What must hold on the whole SIM after any tear: the PPSE lists exactly the expected applications, and
 * smart selection still chooses each of them when only it (or one its policy prefers) covers the amount,
 * which it can only do when the selector verifies that application's account record under the
 * credential both sides hold.
 */
final class WalletInvariants {

    private WalletInvariants() {}

    /**
     * @param expectedDirectory the AIDs the PPSE must list, in priority order
     * @param otherBalances balances of listed applications that are not purses of the SIM (AID hex to fen)
     */
    static List<String> check(TransactionalSim sim, List<String> expectedDirectory, Map<String, Long> otherBalances) {
        return check(sim, expectedDirectory, otherBalances, SelectionPolicy.PRIORITY);
    }

    /** As {@link #check(TransactionalSim, List, Map)}, smart selection choosing by {@code policy} (docs/protocol.md 2.3). */
    static List<String> check(TransactionalSim sim, List<String> expectedDirectory, Map<String, Long> otherBalances,
            SelectionPolicy policy) {
        List<String> violations = new ArrayList<>();
        ResponseAPDU fci = sim.ppse().select();
        if (expectedDirectory.isEmpty()) {
            if (fci.getSW() != 0x6A82) {
                violations.add("PPSE with no application answers " + sw(fci) + ", expected 6A82");
            }
            return violations;
        }
        List<String> directory = Ppse.directory(fci);
        if (!directory.equals(expectedDirectory)) {
            violations.add("PPSE lists " + directory + " (SW " + sw(fci) + "), expected " + expectedDirectory);
            return violations;
        }
        List<Long> balances = new ArrayList<>();
        for (String aid : directory) {
            Long other = otherBalances.get(aid);
            balances.add(other != null ? other : purseBalance(sim, aid));
        }
        long most = 0;
        for (int i = 0; i < directory.size(); i++) {
            long amount = balances.get(i);
            most = Math.max(most, amount);
            if (amount <= 0) {
                continue;
            }
            List<String> expected = expectedChoices(directory, balances, amount, policy);
            ResponseAPDU gpo = sim.ppse().choose(amount, Ppse.CNY);
            String chosen = Ppse.chosenAid(gpo);
            if (chosen == null || !expected.contains(chosen)) {
                violations.add("smart selection for " + amount + " chose " + chosen + " (SW " + sw(gpo) + "), expected "
                        + expected + ": a record no longer verifies");
            }
        }
        ResponseAPDU none = sim.ppse().choose(most + 1, Ppse.CNY);
        if (none.getSW() != 0x9401) {
            violations.add("smart selection for " + (most + 1) + " answered " + sw(none) + ", expected 9401");
        }
        return violations;
    }

    /** The applications {@code policy} may choose for {@code amount}: one, or for ANY every covering one. */
    private static List<String> expectedChoices(List<String> directory, List<Long> balances, long amount,
            SelectionPolicy policy) {
        List<String> covering = new ArrayList<>();
        int best = -1;
        for (int j = 0; j < directory.size(); j++) {
            long balance = balances.get(j);
            if (balance < amount) {
                continue;
            }
            covering.add(directory.get(j));
            boolean better = best < 0
                    || (policy == SelectionPolicy.BEST_FIT && balance < balances.get(best))
                    || (policy == SelectionPolicy.MOST_FUNDS && balance > balances.get(best));
            if (better) {
                best = j; // ties keep the earlier one: priority order
            }
        }
        return policy == SelectionPolicy.ANY ? covering : List.of(directory.get(best));
    }

    /** Changes that are not under one of {@code allowedRoots} (AID prefixes of the snapshot paths). */
    static List<String> outside(List<HeapSnapshot.Change> changes, String... allowedRoots) {
        List<String> stray = new ArrayList<>();
        for (HeapSnapshot.Change change : changes) {
            boolean allowed = false;
            for (String root : allowedRoots) {
                allowed |= change.path().startsWith(root + "/");
            }
            if (!allowed) {
                stray.add("unexpected change " + change);
            }
        }
        return stray;
    }

    static List<String> aids(TransactionalSim sim) {
        List<String> aids = new ArrayList<>();
        for (SimCard c : sim.cards()) {
            aids.add(c.aidHex());
        }
        return aids;
    }

    static void expect(List<String> violations, boolean condition, String what) {
        if (!condition) {
            violations.add(what);
        }
    }

    private static long purseBalance(TransactionalSim sim, String aid) {
        for (SimCard c : sim.cards()) {
            if (c.aidHex().equals(aid)) {
                return sim.balance(c);
            }
        }
        return -1;
    }

    static String sw(ResponseAPDU r) {
        return String.format("%04X", r.getSW());
    }

    static String hex(ResponseAPDU r) {
        return Bytes.hex(r.getBytes());
    }

    /** One more counted MAC attempt on the purse: the change a DEBIT or CREDIT torn before its answer may leave. */
    static boolean oneMacAttemptCounted(HeapSnapshot.Change c) {
        return c.slot().equals("PurseApplet.macFailures") && c.before() instanceof Byte before
                && c.after() instanceof Byte after && after == before + 1;
    }
}
