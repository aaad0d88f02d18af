package nfcpay.bench.measure;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulated days' clock: the terminal dates each transaction with the event's time. */
public final class SimClock extends Clock {

    private Instant now;

    public SimClock(LocalDateTime start) {
        set(start);
    }

    public void set(LocalDateTime time) {
        this.now = time.toInstant(ZoneOffset.UTC);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock runs in UTC");
    }

    @Override
    public Instant instant() {
        return now;
    }
}
