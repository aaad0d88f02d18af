package nfcpay.reliability.tearing;

import java.util.ArrayList;
import java.util.List;
import nfcpay.reliability.runtime.CardTornException;
import nfcpay.reliability.runtime.TransactionalCard;

/**
 * Tears a command at every one of its persistence events: first a clean run counts the events N, then
 * for each k in 0..N a fresh card in the scenario's state loses power just before its k-th event (k = N:
 * after the last one, so the command completed but its response was lost), powers up, and the
 * scenario's invariants are checked. Also checked: the tear points agree with N, and the command's effect
 * is "not happened" for a prefix of the tear points and "happened" for the rest (no flip-flop).
 */
public final class TearCampaign {

    private TearCampaign() {}

    /** The outcome at one tear point. */
    public record Point(long k, boolean torn, boolean happened, List<String> violations) {}

    /** The campaign's result: N, every point, and the violations found. */
    public record Result(String scenario, long events, List<Point> points, List<String> violations) {
        public int tried() {
            return points.size();
        }

        /** Tear points with at least one violation. */
        public long failed() {
            return points.stream().filter(p -> !p.violations().isEmpty()).count()
                    + (violations.isEmpty() ? 0 : 1);
        }

        /** The first tear point at which the command's effect had happened, -1 if none. */
        public long firstHappened() {
            return points.stream().filter(Point::happened).mapToLong(Point::k).min().orElse(-1);
        }

        public List<String> allViolations() {
            List<String> all = new ArrayList<>(violations);
            for (Point p : points) {
                for (String v : p.violations()) {
                    all.add("k=" + p.k() + ": " + v);
                }
            }
            return all;
        }

        public String summary() {
            return String.format("%-46s events %3d  tear points %3d  failed %3d  effect from k=%d",
                    scenario, events, tried(), failed(), firstHappened());
        }
    }

    public static <S> Result run(TearScenario<S> scenario) {
        S clean = scenario.prepare();
        TransactionalCard card = scenario.card(clean);
        long start = card.events();
        scenario.run(clean);
        long events = card.events() - start;

        List<Point> points = new ArrayList<>();
        List<String> campaign = new ArrayList<>();
        for (long k = 0; k <= events; k++) {
            S state = scenario.prepare();
            TransactionalCard c = scenario.card(state);
            long before = c.events();
            c.tearAfter(k);
            boolean torn;
            try {
                scenario.run(state);
                torn = false;
            } catch (CardTornException e) {
                torn = true;
                if (e.event() != before + k) {
                    campaign.add("k=" + k + ": torn at event " + (e.event() - before));
                }
            }
            c.disarm();
            List<String> violations = new ArrayList<>();
            if (torn != (k < events)) {
                violations.add(torn ? "torn although the command has only " + events + " events"
                        : "completed before its " + events + " events: the event count is not deterministic");
            }
            if (!torn) {
                c.powerCycle(); // the response never reached the terminal
            }
            TearScenario.Outcome outcome;
            try {
                outcome = scenario.check(state, !torn);
            } catch (RuntimeException | AssertionError e) {
                outcome = new TearScenario.Outcome(false, List.of("check failed: " + e));
            }
            violations.addAll(outcome.violations());
            if (!torn && !outcome.happened()) {
                violations.add("the completed command's effect is missing");
            }
            points.add(new Point(k, torn, outcome.happened(), violations));
        }
        boolean seen = false;
        for (Point p : points) {
            if (seen && !p.happened()) {
                campaign.add("the effect is undone again at k=" + p.k() + " after it had happened at an earlier tear point");
            }
            seen |= p.happened();
        }
        return new Result(scenario.name(), events, points, campaign);
    }
}
