package nfcpay.bench.workload;

import static nfcpay.bench.workload.Distributions.logNormal;
import static nfcpay.bench.workload.Distributions.poisson;
import static nfcpay.bench.workload.Distributions.roundTo;
import static nfcpay.bench.workload.Distributions.roundUpTo;
import static nfcpay.bench.workload.Distributions.weighted;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the workload: holders one after the other, each from its own random stream (seed, index),
 * until the purchases reach the minimum. Adding holders never changes the earlier ones.
 *
 * <p>Top-ups are decided here, once, so that every strategy receives the same money at the same
 * moments. A WHEN_LOW holder watches the default card in their own bookkeeping: a reference ledger
 * in which the default card pays whatever it covers and otherwise the next card by priority that
 * covers (what the holder expects of any wallet). On the DEFAULT_CARD, TERMINAL_RETRY and
 * SMART_PRIORITY strategies this is exactly the default card's real balance; the other policies
 * spend the default card differently, and the holder does not notice (docs/benchmarks.md).
 */
public final class WorkloadGenerator {

    private static final double[] NONE = new double[0];

    private final WorkloadParameters p;

    public WorkloadGenerator(WorkloadParameters parameters) {
        this.p = parameters;
    }

    public Workload generate(long seed) {
        List<Holder> holders = new ArrayList<>();
        long purchases = 0;
        while (purchases < p.minPurchases()) {
            Holder h = holder(seed, holders.size());
            holders.add(h);
            purchases += h.purchases();
        }
        return new Workload(p, seed, holders);
    }

    /** Holder {@code index} of the workload of {@code seed}: the same whatever else is generated. */
    public Holder holder(long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1);
        WorkloadParameters.Cards c = p.cards();
        int n = 1 + weighted(random, weights(c.countWeights()));
        List<String> labels = new ArrayList<>(WorkloadParameters.LABELS);
        shuffle(labels, random);
        long[] balances = new long[n];
        List<CardSpec> cards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double drawn;
            if (i == 0) {
                drawn = logNormal(random, c.defaultMedian(), c.defaultSigma());
            } else if (random.nextDouble() < c.nearlyEmptyShare()) {
                drawn = random.nextDouble() * c.nearlyEmptyMax();
            } else {
                drawn = logNormal(random, c.otherMedian(), c.otherSigma());
            }
            // Opening balances leave room for the period's loads under the card's maximum.
            balances[i] = Math.min(Math.round(drawn), c.maxBalance() / 2);
            cards.add(new CardSpec(labels.get(i), balances[i]));
        }
        WorkloadParameters.Spending s = p.spending();
        double perDay = s.activityMeans().get(weighted(random, weights(s.activityWeights())));
        TopUpHabit habit = TopUpHabit.values()[weighted(random, weights(p.topUps().habitWeights()))];
        long simId = random.nextLong();
        List<Event> events = events(random, habit, perDay, balances);
        return new Holder(index, simId, cards, perDay, habit, events);
    }

    private List<Event> events(SplittableRandom random, TopUpHabit habit, double perDay, long[] opening) {
        WorkloadParameters.TopUps t = p.topUps();
        WorkloadParameters.Spending s = p.spending();
        int n = opening.length;
        long threshold = Math.round(logNormal(random, t.whenLowThresholdMedian(), t.whenLowThresholdSigma()));
        int period = t.periodMinDays() + random.nextInt(t.periodMaxDays() - t.periodMinDays() + 1);
        int offset = random.nextInt(period);
        long periodicAmount = roundTo(logNormal(random, t.periodicAmountMedian(), t.periodicAmountSigma()), t.periodicStep());
        int periodicCard = random.nextInt(n);

        long[] reference = opening.clone();
        long[] loadedBound = opening.clone(); // what a card would hold if it never paid: stays under the maximum
        List<Event> events = new ArrayList<>();
        int opens = s.opens().toSecondOfDay();
        int hours = s.closes().toSecondOfDay() - opens;
        for (int day = 0; day < p.days(); day++) {
            LocalDate date = p.startDate().plusDays(day);
            int card = -1;
            long amount = 0;
            switch (habit) {
                case WHEN_LOW -> {
                    if (reference[0] < threshold) {
                        card = 0;
                        amount = roundUpTo(logNormal(random, t.whenLowAmountMedian(), t.whenLowAmountSigma()), t.whenLowStep());
                    }
                }
                case PERIODIC -> {
                    if (day >= offset && (day - offset) % period == 0) {
                        card = periodicCard;
                        amount = periodicAmount;
                    }
                }
                case RARELY -> {
                    if (random.nextDouble() < t.rarelyDailyProbability()) {
                        card = random.nextInt(n);
                        amount = roundTo(logNormal(random, t.rarelyAmountMedian(), t.rarelyAmountSigma()), t.rarelyStep());
                    }
                }
            }
            if (card >= 0 && loadedBound[card] + amount <= p.cards().maxBalance()) {
                events.add(new Event.TopUp(day, LocalDateTime.of(date, t.at()), card, amount));
                reference[card] += amount;
                loadedBound[card] += amount;
            }
            int k = poisson(random, perDay);
            int[] seconds = new int[k];
            for (int i = 0; i < k; i++) {
                seconds[i] = opens + random.nextInt(hours);
            }
            Arrays.sort(seconds);
            for (int i = 0; i < k; i++) {
                long a = amount(random, s);
                events.add(new Event.Purchase(day, LocalDateTime.of(date, LocalTime.ofSecondOfDay(seconds[i])), a));
                payByPriority(reference, a);
            }
        }
        return events;
    }

    /** Everyday or large, log-normal, rounded to the step and kept within [min, max]. */
    static long amount(SplittableRandom random, WorkloadParameters.Spending s) {
        boolean large = random.nextDouble() < s.largeShare();
        double drawn = large ? logNormal(random, s.largeMedian(), s.largeSigma()) : logNormal(random, s.everydayMedian(),
                s.everydaySigma());
        return Math.min(s.max(), Math.max(s.min(), roundTo(drawn, s.step())));
    }

    /** The reference ledger: the default card if it covers, else the first card by priority that does. */
    private static void payByPriority(long[] balances, long amount) {
        for (int i = 0; i < balances.length; i++) {
            if (balances[i] >= amount) {
                balances[i] -= amount;
                return;
            }
        }
    }

    private static double[] weights(List<Double> list) {
        if (list.isEmpty()) {
            return NONE;
        }
        double[] w = new double[list.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = list.get(i);
        }
        return w;
    }

    /** Fisher-Yates on our own stream (Collections.shuffle would want a java.util.Random). */
    private static void shuffle(List<String> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }
}
