package nfcpay.terminal.security;

import nfcpay.terminal.apdu.Bytes;

/**
 * What the load security module needs for one load (PROTOCOL.md 3.3): the application serial
 * number (for DLK), the INITIALIZE FOR LOAD answer and the terminal's transaction data.
 */
public final class LoadData {

    private final byte[] cardSerial;
    private final byte[] cardRandom;
    private final int onlineCounter;
    private final long oldBalanceMinor;
    private final long amountMinor;
    private final byte[] terminalId;
    private final byte[] date;
    private final byte[] time;

    /**
     * @param cardSerial the 10-byte application serial number from 9F0C
     * @param cardRandom the 4-byte random from INITIALIZE FOR LOAD
     * @param onlineCounter the online counter from INITIALIZE FOR LOAD
     * @param oldBalanceMinor the balance INITIALIZE FOR LOAD reported
     * @param amountMinor the amount to load
     * @param terminalId the 6-byte terminal ID
     * @param date YYYYMMDD packed BCD (4 bytes)
     * @param time hhmmss packed BCD (3 bytes)
     */
    public LoadData(byte[] cardSerial, byte[] cardRandom, int onlineCounter, long oldBalanceMinor, long amountMinor,
            byte[] terminalId, byte[] date, byte[] time) {
        this.cardSerial = PurchaseData.length(cardSerial, 10, "application serial number");
        this.cardRandom = PurchaseData.length(cardRandom, 4, "card random");
        this.onlineCounter = (int) PurchaseData.range(onlineCounter, 0xFFFF, "online counter");
        this.oldBalanceMinor = PurchaseData.range(oldBalanceMinor, 0xFFFFFFFFL, "balance");
        this.amountMinor = PurchaseData.range(amountMinor, 0xFFFFFFFFL, "amount");
        this.terminalId = PurchaseData.length(terminalId, 6, "terminal ID");
        this.date = PurchaseData.length(date, 4, "date");
        this.time = PurchaseData.length(time, 3, "time");
    }

    public byte[] cardSerial() {
        return cardSerial.clone();
    }

    public byte[] cardRandom() {
        return cardRandom.clone();
    }

    public byte[] onlineCounter() {
        return Bytes.u16(onlineCounter);
    }

    public byte[] oldBalance() {
        return Bytes.u32(oldBalanceMinor);
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
        return "LoadData[card " + Bytes.maskSerial(cardSerial) + ", counter " + onlineCounter + ", amount " + amountMinor + "]";
    }
}
