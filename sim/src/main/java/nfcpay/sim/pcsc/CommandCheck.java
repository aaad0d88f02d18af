package nfcpay.sim.pcsc;

/**
 * The structural checks a reader's transport makes before a C-APDU reaches the card, so that a
 * malformed command gets a status word instead of an exception inside jcardsim (which rejects a
 * short or inconsistent APDU with {@code IllegalArgumentException}) or silence on the wire.
 *
 * <p>Decoding follows ISO/IEC 7816-4 5.1 (cases 1, 2S/2E, 3S/3E, 4S/4E). The class byte {@code FF}
 * is reserved for PPS by ISO/IEC 7816-3 (PC/SC uses it for pseudo-APDUs addressed to the reader,
 * never the card), and instruction bytes {@code 6X} and {@code 9X} are invalid per ISO/IEC 7816-4
 * 5.1.2; a card never sees either.
 */
final class CommandCheck {

    static final int WELL_FORMED = 0;
    static final int SW_WRONG_LENGTH = 0x6700;
    static final int SW_WRONG_DATA = 0x6A80;
    static final int SW_INS_NOT_SUPPORTED = 0x6D00;
    static final int SW_CLA_NOT_SUPPORTED = 0x6E00;

    private static final int HEADER = 4;

    private CommandCheck() {}

    /** {@link #WELL_FORMED}, or the status word a malformed command is answered with. */
    static int statusFor(byte[] command) {
        if (command.length < HEADER) {
            return SW_WRONG_LENGTH;
        }
        if (!bodyLengthsConsistent(command)) {
            return SW_WRONG_LENGTH;
        }
        if (command[0] == (byte) 0xFF) {
            return SW_CLA_NOT_SUPPORTED;
        }
        int insHighNibble = (command[1] & 0xF0) >>> 4;
        if (insHighNibble == 0x6 || insHighNibble == 0x9) {
            return SW_INS_NOT_SUPPORTED;
        }
        return WELL_FORMED;
    }

    private static boolean bodyLengthsConsistent(byte[] command) {
        int body = command.length - HEADER;
        if (body <= 1) {
            return true; // case 1, or case 2S (the one byte is Le)
        }
        int first = command[HEADER] & 0xFF;
        if (first != 0) {
            // short Lc: data only (3S) or data then one Le byte (4S)
            return body == 1 + first || body == 2 + first;
        }
        if (body == 3) {
            return true; // case 2E: 00 Le1 Le2
        }
        if (body < 3) {
            return false;
        }
        int lc = ((command[HEADER + 1] & 0xFF) << 8) | (command[HEADER + 2] & 0xFF);
        // extended Lc is never 0; data only (3E) or data then two Le bytes (4E)
        return lc != 0 && (body == 3 + lc || body == 5 + lc);
    }
}
