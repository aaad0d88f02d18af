package nfcpay.sim;

import java.util.Currency;
import java.util.HexFormat;

/**
 * One electronic-purse application on the simulated SIM, as installed and personalized.
 *
 * @param label the application label (tag 50), 1..16 printable characters
 * @param aid the application identifier it was installed under
 * @param serial the 10-byte application serial number (9F0C); mask it in any output
 * @param priority the application priority (tag 87), 1 = highest
 * @param currency the account currency
 * @param maxBalanceMinor the maximum balance in minor units
 */
public record SimCard(String label, byte[] aid, byte[] serial, int priority, Currency currency, long maxBalanceMinor) {

    public SimCard {
        aid = aid.clone();
        serial = serial.clone();
    }

    @Override
    public byte[] aid() {
        return aid.clone();
    }

    @Override
    public byte[] serial() {
        return serial.clone();
    }

    public String aidHex() {
        return HexFormat.of().withUpperCase().formatHex(aid);
    }

    @Override
    public String toString() {
        return "SimCard[" + label + ", " + aidHex() + ", priority " + priority + ", " + currency + "]";
    }
}
