package nfcpay.terminal.journal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.money.Bcd;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.security.PurchaseData;

/**
 * One row of the journal. {@link #toString} and {@link #maskedCardSerial} mask the application
 * serial number; print those, never {@link #cardSerial}.
 *
 * @param id the row id, increasing
 * @param kind purchase or load
 * @param state where it stands
 * @param terminalId the terminal ID it was made with (6 bytes)
 * @param terminalSerial the terminal transaction serial
 * @param aid the application, hex
 * @param label the application label
 * @param cardSerial the application serial number (10 bytes)
 * @param counter the card counter of the transaction
 * @param amount the amount
 * @param balanceBeforeMinor the balance before, as INITIALIZE reported it
 * @param cardRandom the card's random of the transaction
 * @param date the transaction date sent to the card
 * @param time the transaction time sent to the card
 * @param mac2 MAC2 (the card's for a purchase, the terminal's for a load), or null
 * @param tac the card's TAC, or null
 * @param note why the state is what it is, for the people reconciling
 * @param createdAt when the record was written
 * @param updatedAt when it last changed
 */
public record JournalRecord(long id, TransactionKind kind, TransactionState state, byte[] terminalId, long terminalSerial,
        String aid, String label, byte[] cardSerial, int counter, Money amount, long balanceBeforeMinor, byte[] cardRandom,
        LocalDate date, LocalTime time, byte[] mac2, byte[] tac, String note, Instant createdAt, Instant updatedAt) {

    public JournalRecord {
        terminalId = terminalId.clone();
        cardSerial = cardSerial.clone();
        cardRandom = cardRandom.clone();
        mac2 = mac2 == null ? null : mac2.clone();
        tac = tac == null ? null : tac.clone();
    }

    @Override
    public byte[] terminalId() {
        return terminalId.clone();
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
    public byte[] tac() {
        return tac == null ? null : tac.clone();
    }

    /** The TAC in hex, or null. */
    public String tacHex() {
        return tac == null ? null : Bytes.hex(tac);
    }

    public String terminalIdHex() {
        return Bytes.hex(terminalId);
    }

    /** The application serial number with all but its last two bytes masked. */
    public String maskedCardSerial() {
        return Bytes.maskSerial(cardSerial);
    }

    /** The purchase as the security module sees it, to verify a MAC2 or proof later. */
    public PurchaseData purchaseData() {
        return new PurchaseData(cardSerial, cardRandom, counter, terminalSerial, amount.minor(), terminalId,
                Bcd.date(date), Bcd.time(time));
    }

    @Override
    public String toString() {
        return "JournalRecord[#" + id + " " + kind + " " + state + " " + amount + " " + label + " (" + aid + "), card "
                + maskedCardSerial() + ", counter " + counter + ", terminal serial " + terminalSerial + ", " + date + " "
                + time + (note == null ? "" : ", " + note) + "]";
    }
}
