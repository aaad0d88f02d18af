package nfcpay.sim.pcsc;

/**
 * A card as the virtual reader sees it: an ATR, APDUs in and out, and a reset. This is all
 * {@link VpcdCard} needs, so it serves any card, simulated or relayed, not only the project's SIM.
 *
 * <p>Implementations answer every well-formed C-APDU with an R-APDU of at least the two status
 * bytes. {@link VpcdCard} screens malformed APDUs before they arrive here and turns an exception
 * thrown from {@link #transmit} into a status word, so a faulty card cannot hang the reader.
 */
public interface ApduHandler {

    /** The answer to reset (ISO/IEC 7816-3) the reader reports for this card. */
    byte[] atr();

    /** One C-APDU in, its R-APDU (data and SW1 SW2) out. */
    byte[] transmit(byte[] command);

    /**
     * A power cycle or warm reset: transient (RAM) state and the selected applications are lost,
     * persistent (EEPROM) state such as balances and counters stays.
     */
    void reset();
}
