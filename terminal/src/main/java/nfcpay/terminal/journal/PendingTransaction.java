package nfcpay.terminal.journal;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;
import nfcpay.terminal.money.Money;

/**
 * A transaction about to be sent to the card: everything needed to tell later whether the card
 * did it, and to verify its MAC2 then (card random, counter, terminal serial; never a key).
 *
 * @param kind purchase or load
 * @param terminalSerial the terminal transaction serial used in the session key
 * @param aid the application identifier, hex
 * @param label the application label, for printouts
 * @param cardSerial the 10-byte application serial number (stored, masked in every printout)
 * @param counter the offline (purchase) or online (load) counter INITIALIZE returned
 * @param amount the amount
 * @param balanceBeforeMinor the balance INITIALIZE returned
 * @param cardRandom the 4-byte random INITIALIZE returned
 * @param date the date sent to the card
 * @param time the time sent to the card
 * @param mac2 for a load, the MAC2 sent with CREDIT FOR LOAD (null for a purchase)
 */
public record PendingTransaction(TransactionKind kind, long terminalSerial, String aid, String label, byte[] cardSerial,
        int counter, Money amount, long balanceBeforeMinor, byte[] cardRandom, LocalDate date, LocalTime time, byte[] mac2) {

    public PendingTransaction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(aid, "aid");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(time, "time");
        cardSerial = cardSerial.clone();
        cardRandom = cardRandom.clone();
        mac2 = mac2 == null ? null : mac2.clone();
    }

    @Override
    public byte[] cardSerial() {
        return cardSerial.clone();
    }

    @Override
    public byte[] cardRandom() {
        return cardRandom.clone();
    }

    @Override
    public byte[] mac2() {
        return mac2 == null ? null : mac2.clone();
    }

    @Override
    public String toString() {
        return "PendingTransaction[" + kind + " " + amount + " on " + aid + ", counter " + counter + "]";
    }
}
