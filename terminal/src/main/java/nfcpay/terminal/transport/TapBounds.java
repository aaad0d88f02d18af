package nfcpay.terminal.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The time limits of one tap on a PC/SC reader: no wait on the card, the reader or one command
 * is ever unbounded (a terminal that hangs is worse than one that says why it gave up).
 *
 * @param cardWait how long to wait for a card to be presented; zero: a card must be there already
 * @param readerWait how long to wait while another process holds the reader for its own exchange
 * @param answerTimeout how long the card may take to answer one command
 * @param presentCard called once when the tap starts waiting for a card (the cashier's "present card")
 */
public record TapBounds(Duration cardWait, Duration readerWait, Duration answerTimeout, Runnable presentCard) {

    /** The reader waited for at least this long, even with no card wait: acquiring a free reader takes milliseconds. */
    public static final Duration MIN_READER_WAIT = Duration.ofSeconds(1);
    /** A card answers any command of the contract within milliseconds; 10 s leaves room for slow reference VMs. */
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** For commands that do not wait for a card: the card must be there; another sale is waited for this long. */
    public static final TapBounds NO_CARD_WAIT = new TapBounds(Duration.ZERO, Duration.ofSeconds(10),
            DEFAULT_ANSWER_TIMEOUT, () -> {});

    public TapBounds {
        Objects.requireNonNull(presentCard, "presentCard");
        if (cardWait.isNegative() || readerWait.isNegative() || answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("tap bounds must be positive (card wait and reader wait may be zero)");
        }
        if (readerWait.compareTo(MIN_READER_WAIT) < 0) {
            readerWait = MIN_READER_WAIT;
        }
    }
}
