package nfcpay.sim.cref;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory figures cref prints with {@code -z} ("Resources consumed"), in bytes: when it starts (the EEPROM as
 * restored from its file) and when the card is powered down.
 *
 * @param eepromConsumed EEPROM in use: the platform's own, the loaded packages and every object created
 * @param eepromAvailable EEPROM still free
 * @param clearOnResetRam transient CLEAR_ON_RESET RAM allocated
 * @param clearOnDeselectMax the most transient CLEAR_ON_DESELECT RAM in use at once
 *
 * <p>Not the transaction buffer's figure: after restoring an EEPROM file cref prints more than the buffer's size.
 */
public record CrefResources(int eepromConsumed, int eepromAvailable, int clearOnResetRam, int clearOnDeselectMax) {

    private static final Pattern EEPROM = Pattern.compile("EEPROM:\\s+(\\d+) \\(0x\\p{XDigit}+\\) bytes consumed,\\s+(\\d+)");
    private static final Pattern COR = Pattern.compile("Clear-On-Reset RAM:\\s+(\\d+)");
    private static final Pattern COD = Pattern.compile("Clear-On-Deselect RAM:\\s+(\\d+)");

    /** The last "Resources consumed" block of cref's {@code output}, if it printed one. */
    static Optional<CrefResources> last(String output) {
        int at = output.lastIndexOf("Resources consumed");
        if (at < 0) {
            return Optional.empty();
        }
        String block = output.substring(at);
        Matcher eeprom = EEPROM.matcher(block);
        Matcher cor = COR.matcher(block);
        Matcher cod = COD.matcher(block);
        if (!eeprom.find() || !cor.find() || !cod.find()) {
            return Optional.empty();
        }
        return Optional.of(new CrefResources(Integer.parseInt(eeprom.group(1)), Integer.parseInt(eeprom.group(2)),
                Integer.parseInt(cor.group(1)), Integer.parseInt(cod.group(1))));
    }
}
