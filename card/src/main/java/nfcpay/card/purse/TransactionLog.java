package nfcpay.card.purse;

import javacard.framework.Util;
import nfcpay.card.Wire;

/**
 * The cyclic transaction log of the purse (docs/protocol.md 3.2, READ RECORD SFI 18): the last
 * {@link Wire#LOG_RECORD_COUNT} records of {@link Wire#LOG_RECORD_LENGTH} bytes each, record 1 the newest.
 * Persistent; the caller appends inside the transaction that moves the money.
 */
final class TransactionLog {

    private static final short OFF_COUNTER = 0;
    private static final short OFF_OVERDRAFT = 2;
    private static final short OFF_AMOUNT = 5;
    private static final short OFF_TYPE = 9;
    private static final short OFF_TERMINAL = 10;
    private static final short OFF_DATE = 16;

    private final byte[] records;
    /** Slot of the newest record. */
    private byte newest;
    /** Records written so far, at most {@link Wire#LOG_RECORD_COUNT}. */
    private byte count;

    TransactionLog() {
        records = new byte[(short) (Wire.LOG_RECORD_COUNT * Wire.LOG_RECORD_LENGTH)];
        newest = (byte) (Wire.LOG_RECORD_COUNT - 1);
    }

    /**
     * Writes a new newest record, overwriting the oldest when the log is full. Call inside a transaction.
     *
     * @param counter the counter INITIALIZE returned (2 bytes)
     * @param amount the amount (4 bytes)
     * @param terminal the terminal ID (6 bytes)
     * @param dateTime date (4) then time (3), contiguous
     */
    void append(byte[] counter, short counterOff, byte[] amount, short amountOff, byte type,
            byte[] terminal, short terminalOff, byte[] dateTime, short dateTimeOff) {
        byte slot = (byte) (newest + 1);
        if (slot == Wire.LOG_RECORD_COUNT) {
            slot = 0;
        }
        short base = (short) (slot * Wire.LOG_RECORD_LENGTH);
        Util.arrayCopy(counter, counterOff, records, (short) (base + OFF_COUNTER), Wire.COUNTER_LENGTH);
        // The overdraft limit bytes (OFF_OVERDRAFT) stay 000000: this purse has no overdraft.
        Util.arrayCopy(amount, amountOff, records, (short) (base + OFF_AMOUNT), Wire.AMOUNT_LENGTH);
        records[(short) (base + OFF_TYPE)] = type;
        Util.arrayCopy(terminal, terminalOff, records, (short) (base + OFF_TERMINAL), Wire.TERMINAL_ID_LENGTH);
        Util.arrayCopy(dateTime, dateTimeOff, records, (short) (base + OFF_DATE),
                (short) (Wire.DATE_LENGTH + Wire.TIME_LENGTH));
        newest = slot;
        if (count < Wire.LOG_RECORD_COUNT) {
            count++;
        }
    }

    /**
     * Copies record {@code n} (1 = newest) to {@code out}.
     *
     * @return false when there is no such record (n outside 1..records written so far)
     */
    boolean read(byte n, byte[] out, short outOff) {
        if (n < 1 || n > count) {
            return false;
        }
        short slot = (short) (newest - (byte) (n - 1));
        if (slot < 0) {
            slot = (short) (slot + Wire.LOG_RECORD_COUNT);
        }
        Util.arrayCopyNonAtomic(records, (short) (slot * Wire.LOG_RECORD_LENGTH), out, outOff, Wire.LOG_RECORD_LENGTH);
        return true;
    }
}
