package nfcpay.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second. Only on an interactive
 * terminal: when stderr is not a TTY (a pipe, a log file) or CI is set, {@link #auto()} gives a
 * listener that prints a plain line per phase and per tenth of the run instead, and {@link #barOrNothing()}
 * one that prints nothing.
 */
public final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** The bar on stderr when it is an interactive terminal; otherwise one line per phase on stderr. */
    public static ProgressListener auto() {
        return interactive() ? new ProgressBar(System.err) : new PhaseLines(System.err);
    }

    /** The bar on stderr when it is an interactive terminal; otherwise nothing. */
    public static ProgressListener barOrNothing() {
        return interactive() ? new ProgressBar(System.err) : ProgressListener.NONE;
    }

    /** A console, not CI, not a dumb terminal. */
    public static boolean interactive() {
        String ci = System.getenv("CI");
        return System.console() != null && (ci == null || ci.isEmpty() || "false".equalsIgnoreCase(ci))
                && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void progress(String phase, long done, long total) {
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.print('\r' + line(phase, done, total, (now - startNanos) / 1e9) + "\u001B[K");
        out.flush();
    }

    @Override
    public void finished() {
        if (drawn) {
            out.println();
            out.flush();
        }
    }

    /** The bar's text: {@code [#######.......]  45%  DEFAULT_CARD  eta 1m20s}. */
    static String line(String phase, long done, long total, double elapsedSeconds) {
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        String eta = f <= 0 || f >= 1 ? "" : "  eta " + duration(elapsedSeconds * (1 - f) / f);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  %s%s", (int) (100 * f), phase, eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }

    /** No bar, for logs: one line when a phase starts (the text before a ':') and one at every tenth of the run. */
    static final class PhaseLines implements ProgressListener {
        private final PrintStream out;
        private String group;
        private long tenth = -1;

        PhaseLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void progress(String phase, long done, long total) {
            int colon = phase.indexOf(':');
            String g = colon < 0 ? phase : phase.substring(0, colon);
            long t = total <= 0 ? 10 : 10 * done / total;
            if (!g.equals(group) || t > tenth) {
                group = g;
                tenth = t;
                out.println(String.format(Locale.ROOT, "bench: %s (%d%%)", phase, total <= 0 ? 100 : 100 * done / total));
                out.flush();
            }
        }
    }
}
