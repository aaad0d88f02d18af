package nfcpay.cli;

import java.io.PrintWriter;
import java.time.Duration;
import nfcpay.terminal.transport.TapBounds;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --wait and --card-timeout: how a tap on a reader waits for the card, for the reader, and for each answer. */
final class TapOptions {

    /** Longest --wait: a tap that waits longer than an hour is a mistake. */
    static final int MAX_WAIT_SECONDS = 3_600;
    static final int MAX_CARD_TIMEOUT_SECONDS = 600;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --reader: how long to wait for a card (\"present card\" on stderr) and for the reader"
                    + " while another sale holds it (default: ${DEFAULT-VALUE}). 0: the card must be on the reader"
                    + " already (a busy reader is still waited for 1 s).")
    int waitSeconds;

    @Option(names = "--card-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "With --reader: how long the card may take to answer one command before the tap gives it up"
                    + " (default: ${DEFAULT-VALUE}); a purchase it may have made stays pending and is settled on the next tap.")
    int cardTimeoutSeconds;

    /**
     * The bounds of these options; "present card" goes to {@code err} when the tap starts waiting.
     *
     * @throws ParameterException for a wait or timeout out of range
     */
    TapBounds bounds(PrintWriter err) {
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new ParameterException(mixee.commandLine(), "--wait: seconds from 0 to " + MAX_WAIT_SECONDS
                    + ", not " + waitSeconds);
        }
        if (cardTimeoutSeconds < 1 || cardTimeoutSeconds > MAX_CARD_TIMEOUT_SECONDS) {
            throw new ParameterException(mixee.commandLine(), "--card-timeout: seconds from 1 to " + MAX_CARD_TIMEOUT_SECONDS
                    + ", not " + cardTimeoutSeconds);
        }
        Duration wait = Duration.ofSeconds(waitSeconds);
        return new TapBounds(wait, wait, Duration.ofSeconds(cardTimeoutSeconds), () -> {
            err.println("present card (waiting up to " + waitSeconds + " s)");
            err.flush();
        });
    }
}
