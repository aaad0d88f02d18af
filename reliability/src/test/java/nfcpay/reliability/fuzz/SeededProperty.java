package nfcpay.reliability.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A property run from a seeded {@link Random}: {@code tries} inputs drawn by a generator, each checked by
 * the property; the first failure is shrunk (elements of a list input removed while it still fails) and
 * reported with the seed that reproduces it. The seed is random unless {@value #SEED} sets it, and is
 * printed with every run, so a failure seen once can be run again exactly.
 */
final class SeededProperty {

    /** System property: the base seed of every property in the run (decimal or 0x hex). */
    static final String SEED = "nfcpay.properties.seed";
    /** System property: multiplies every property's number of tries (a longer run: 10, 100). */
    static final String SCALE = "nfcpay.properties.scale";

    private SeededProperty() {}

    /** The base seed of this JVM's properties: {@value #SEED} if given, else drawn once. */
    static long baseSeed() {
        String given = System.getProperty(SEED);
        if (given == null || given.isBlank()) {
            return Holder.DRAWN;
        }
        return given.startsWith("0x") ? Long.parseUnsignedLong(given.substring(2), 16) : Long.parseLong(given);
    }

    private static final class Holder {
        static final long DRAWN = new java.security.SecureRandom().nextLong();
    }

    static int scaled(int tries) {
        return tries * Math.max(1, Integer.getInteger(SCALE, 1));
    }

    /**
     * A generated input: {@code fixed} (the start state, a flag) and the {@code steps} run from it, which
     * shrinking removes one chunk at a time.
     */
    record Case<C, E>(C fixed, List<E> steps) {
        @Override
        public String toString() {
            return (fixed == null ? "" : fixed + " then ") + steps.size() + " steps " + steps;
        }
    }

    /** Runs the property {@code scaled(tries)} times from {@link #baseSeed()}; see {@link #check(String, long, int, Function, Consumer)}. */
    static <C, E> void check(String name, int tries, Function<Random, Case<C, E>> generator, Consumer<Case<C, E>> property) {
        check(name, baseSeed(), scaled(tries), generator, property);
    }

    /**
     * Try {@code i} draws its input from {@code new Random(seed + i * golden)}: each try is reproducible
     * alone, and the seed of the run reproduces them all.
     *
     * @throws AssertionError on the first failing try, with the seed, the try, the shrunk input and the cause
     */
    static <C, E> void check(String name, long seed, int tries, Function<Random, Case<C, E>> generator,
            Consumer<Case<C, E>> property) {
        System.out.println("[fuzz] property " + name + ": " + tries + " tries, -D" + SEED + "=" + seed);
        for (int i = 0; i < tries; i++) {
            Case<C, E> input = generator.apply(new Random(seed + i * 0x9E3779B97F4A7C15L));
            Throwable failure = failure(property, input);
            if (failure != null) {
                Shrunk<C, E> shrunk = shrink(property, input, failure);
                throw new AssertionError(name + " failed at try " + (i + 1) + " of " + tries + " (reproduce with -D" + SEED
                        + "=" + seed + "); shrunk from " + input.steps().size() + " steps to " + shrunk.input
                        + "\n  cause: " + shrunk.failure, shrunk.failure);
            }
        }
    }

    private record Shrunk<C, E>(Case<C, E> input, Throwable failure) {}

    private static <T> Throwable failure(Consumer<T> property, T input) {
        try {
            property.accept(input);
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }

    /** Greedy: remove chunks of the steps, halving the chunk, while the property still fails. */
    private static <C, E> Shrunk<C, E> shrink(Consumer<Case<C, E>> property, Case<C, E> input, Throwable failure) {
        List<E> current = new ArrayList<>(input.steps());
        Throwable last = failure;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
            boolean removed = true;
            while (removed) {
                removed = false;
                for (int from = 0; from + chunk <= current.size(); from++) {
                    List<E> candidate = new ArrayList<>(current.subList(0, from));
                    candidate.addAll(current.subList(from + chunk, current.size()));
                    Throwable f = failure(property, new Case<>(input.fixed(), candidate));
                    if (f != null) {
                        current = candidate;
                        last = f;
                        removed = true;
                        break;
                    }
                }
            }
        }
        return new Shrunk<>(new Case<>(input.fixed(), current), last);
    }
}
