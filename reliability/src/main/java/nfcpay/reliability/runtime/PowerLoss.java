package nfcpay.reliability.runtime;

/**
 * The power went at a persistent write: thrown by the write barrier instead of performing the write the
 * card was about to make. An {@link Error}, so that no card code (which catches only
 * {@code RuntimeException} and the Java Card exceptions) can swallow it; from then on every further
 * persistent write throws it again, so a {@code finally} block in card code cannot write either.
 */
public final class PowerLoss extends Error {

    private static final long serialVersionUID = 1L;

    PowerLoss(long event) {
        super("power lost at persistence event " + event, null, false, false);
    }
}
