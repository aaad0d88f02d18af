package nfcpay.bench.workload;

import java.time.LocalDateTime;

/** Something a holder does at a moment of the simulated days: pay, or put money on a card. */
public sealed interface Event permits Event.Purchase, Event.TopUp {

    /** Day of the simulation, 0-based. */
    int day();

    /** When it happens (the terminal's clock is set to it). */
    LocalDateTime at();

    /** A tap at the till for {@code amountMinor} fen. */
    record Purchase(int day, LocalDateTime at, long amountMinor) implements Event {}

    /** A load of {@code amountMinor} fen onto the card at index {@code card} (0 = the default card). */
    record TopUp(int day, LocalDateTime at, int card, long amountMinor) implements Event {}
}
