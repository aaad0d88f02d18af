package nfcpay.terminal.security;

import nfcpay.terminal.apdu.Bytes;

/**
 * What the purchase security module needs for one purchase (PROTOCOL.md 3.3): the card's
 * application serial number (for DPK), the random and offline counter from INITIALIZE FOR PURCHASE,
 * and the terminal's transaction data. Everything here is also in the journal, so a torn purchase's
 * MAC2 can be verified on the next tap; the session key itself is never stored.
 */
public final class PurchaseData {

    private final byte[] cardSerial;
    private final byte[] cardRandom;
    private final int offlineCounter;
    private final long terminalSerial;
    private final long amountMinor;
    private final byte[] terminalId;
    private final byte[] date;
    private final byte[] time;

    /**
     * @param cardSerial the 10-byte application serial number from 9F0C
     * @param cardRandom the 4-byte random from INITIALIZE FOR PURCHASE
     * @param offlineCounter the offline counter from INITIALIZE FOR PURCHASE, 0..FFFF
     * @param terminalSerial the terminal transaction serial, 0..FFFFFFFF
     * @param amountMinor the amount in minor units, 1..FFFFFFFF
     * @param terminalId the 6-byte terminal ID
     * @param date the transaction date, YYYYMMDD packed BCD (4 bytes)
     * @param time the transaction time, hhmmss packed BCD (3 bytes)
     */
    public PurchaseData(byte[] cardSerial, byte[] cardRandom, int offlineCounter, long terminalSerial, long amountMinor,
            byte[] terminalId, byte[] date, byte[] time) {
        this.cardSerial = length(cardSerial, 10, "application serial number");
        this.cardRandom = length(cardRandom, 4, "card random");
        this.offlineCounter = (int) range(offlineCounter, 0xFFFF, "offline counter");
        this.terminalSerial = range(terminalSerial, 0xFFFFFFFFL, "terminal serial");
        this.amountMinor = range(amountMinor, 0xFFFFFFFFL, "amount");
        this.terminalId = length(terminalId, 6, "terminal ID");
        this.date = length(date, 4, "date");
        this.time = length(time, 3, "time");
    }

    public byte[] cardSerial() {
        return cardSerial.clone();
    }

    public byte[] cardRandom() {
        return cardRandom.clone();
    }

    public byte[] offlineCounter() {
        return Bytes.u16(offlineCounter);
    }

    public byte[] terminalSerial() {
        return Bytes.u32(terminalSerial);
    }

    public byte[] amount() {
        return Bytes.u32(amountMinor);
    }

    public byte[] terminalId() {
        return terminalId.clone();
    }

    public byte[] date() {
        return date.clone();
    }

    public byte[] time() {
        return time.clone();
    }

    @Override
    public String toString() {
        return "PurchaseData[card " + Bytes.maskSerial(cardSerial) + ", counter " + offlineCounter
                + ", terminal serial " + terminalSerial + ", amount " + amountMinor + "]";
    }

    static byte[] length(byte[] value, int length, String what) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
        return value.clone();
    }

    static long range(long value, long max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " out of range");
        }
        return value;
    }
}
