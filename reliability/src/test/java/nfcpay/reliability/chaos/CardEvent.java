package nfcpay.reliability.chaos;

import java.util.HexFormat;
import java.util.Locale;
import nfcpay.sim.SimCard;
import nfcpay.terminal.journal.TransactionKind;

/**
 * One transaction the card's own log shows (READ RECORD, PROTOCOL.md 3.2), with the card's proof
 * (GET TRANSACTION PROVE) when it was the newest of its type at the audit.
 *
 * @param card the application
 * @param kind purchase (type 06) or load (02)
 * @param counter the offline (purchase) or online (load) counter it used
 * @param amount minor units
 * @param terminalId the terminal ID in the record, hex
 * @param dateTime date (4) and time (3) in the record, hex
 * @param proofMac MAC2 (purchase) or the verified MAC2 (load) of the proof, or null
 * @param proofTac the TAC of the proof, or null
 */
record CardEvent(SimCard card, TransactionKind kind, int counter, long amount, String terminalId, String dateTime,
        byte[] proofMac, byte[] proofTac) {

    /** The key the journal is matched on: card serial + kind + counter. */
    String key() {
        return key(card.serial(), kind, counter);
    }

    static String key(byte[] serial, TransactionKind kind, int counter) {
        return HexFormat.of().formatHex(serial) + "/" + kind + "/" + counter;
    }

    @Override
    public String toString() {
        return card.label() + " " + kind.name().toLowerCase(Locale.ROOT) + " #" + counter + " of " + amount
                + " (terminal " + terminalId + ")";
    }
}
