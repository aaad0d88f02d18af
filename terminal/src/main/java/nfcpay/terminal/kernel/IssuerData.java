package nfcpay.terminal.kernel;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Currency;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.TerminalWire;
import nfcpay.terminal.money.Bcd;
import nfcpay.terminal.money.Money;

/**
 * The EP's issuer discretionary data, 9F0C (PROTOCOL.md 3.1): issuer ID (8) | application type (1)
 * | version (1) | application serial number (10) | start date (4) | expiry date (4) | currency (2).
 */
public final class IssuerData {

    private final byte[] issuerId;
    private final int applicationType;
    private final int applicationVersion;
    private final byte[] serial;
    private final LocalDate startDate;
    private final LocalDate expiryDate;
    private final Currency currency;

    private IssuerData(byte[] issuerId, int type, int version, byte[] serial, LocalDate start, LocalDate expiry, Currency currency) {
        this.issuerId = issuerId;
        this.applicationType = type;
        this.applicationVersion = version;
        this.serial = serial;
        this.startDate = start;
        this.expiryDate = expiry;
        this.currency = currency;
    }

    static IssuerData parse(byte[] v) throws CardDataException {
        if (v.length != TerminalWire.ISSUER_DATA_LENGTH) {
            throw new CardDataException("9F0C is " + v.length + " bytes, expected " + TerminalWire.ISSUER_DATA_LENGTH);
        }
        int type = v[8] & 0xFF;
        if (type != TerminalWire.APPLICATION_TYPE_EP) {
            throw new CardDataException(String.format("not an electronic purse (application type %02X)", type));
        }
        try {
            return new IssuerData(Arrays.copyOfRange(v, 0, 8), type, v[9] & 0xFF, Arrays.copyOfRange(v, 10, 20),
                    Bcd.toDate(v, 20), Bcd.toDate(v, 24), Money.currencyFromN3(v, 28));
        } catch (IllegalArgumentException e) {
            throw new CardDataException("9F0C: " + e.getMessage(), e);
        }
    }

    public byte[] issuerId() {
        return issuerId.clone();
    }

    public int applicationType() {
        return applicationType;
    }

    public int applicationVersion() {
        return applicationVersion;
    }

    /** The application serial number (10 bytes); print {@link #maskedSerial} instead. */
    public byte[] serial() {
        return serial.clone();
    }

    public String maskedSerial() {
        return Bytes.maskSerial(serial);
    }

    public LocalDate startDate() {
        return startDate;
    }

    public LocalDate expiryDate() {
        return expiryDate;
    }

    public Currency currency() {
        return currency;
    }

    @Override
    public String toString() {
        return "IssuerData[" + maskedSerial() + ", " + startDate + ".." + expiryDate + ", " + currency + "]";
    }
}
