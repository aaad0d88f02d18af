package nfcpay.reliability.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the run moves on by hand (a few seconds a tap), so that a seed replays the same dates and times. */
final class ChaosClock extends Clock {

    private Instant now;

    ChaosClock(Instant start) {
        this.now = start;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the chaos clock runs in UTC");
    }

    @Override
    public Instant instant() {
        return now;
    }
}
