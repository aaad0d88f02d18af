package nfcpay.reliability.tearing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.smartcardio.ResponseAPDU;
import nfcpay.reliability.runtime.HeapSnapshot;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.SimCard;

/**
 * What must hold on the whole SIM after any tear: the PPSE lists exactly the expected applications, and
 * smart selection still chooses each of them when only it (or a higher-priority one) covers the amount,
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
            String expected = null;
            for (int j = 0; j < directory.size() && expected == null; j++) {
                if (balances.get(j) >= amount) {
                    expected = directory.get(j);
                }
            }
            ResponseAPDU gpo = sim.ppse().choose(amount, Ppse.CNY);
            String chosen = Ppse.chosenAid(gpo);
            if (!expected.equals(chosen)) {
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
}
