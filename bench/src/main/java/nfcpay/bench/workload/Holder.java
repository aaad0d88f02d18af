package nfcpay.bench.workload;

import java.util.List;

/**
 * One SIM holder of the workload: the cards (priority order, the first is the default card), the
 * habits they were drawn with, and the time-ordered events every strategy replays identically.
 *
 * @param index position in the workload
 * @param simId fixes the SIM's application serial numbers
 * @param cards 1..6 cards, default first
 * @param purchasesPerDay the mean of the holder's daily Poisson purchase count
 * @param habit the top-up habit
 * @param events purchases and top-ups in time order
 */
public record Holder(int index, long simId, List<CardSpec> cards, double purchasesPerDay, TopUpHabit habit, List<Event> events) {

    public Holder {
        cards = List.copyOf(cards);
        events = List.copyOf(events);
    }

    public long purchases() {
        return events.stream().filter(e -> e instanceof Event.Purchase).count();
    }

    public long topUps() {
        return events.stream().filter(e -> e instanceof Event.TopUp).count();
    }
}
