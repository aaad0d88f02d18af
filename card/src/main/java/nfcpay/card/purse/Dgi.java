package nfcpay.card.purse;

import javacard.framework.ISOException;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;

/**
 * The personalization DGIs of the purse (docs/protocol.md 3.3): their framing inside a STORE DATA block
 * and the checks on each value, before the purse stores anything.
 */
final class Dgi {

    // One bit per DGI, to know when every DGI has been received.
    private static final byte BIT_ISSUER_DATA = 0x01;
    private static final byte BIT_MAX_BALANCE = 0x02;
    private static final byte BIT_LABEL = 0x04;
    private static final byte BIT_PRIORITY = 0x08;
    private static final byte BIT_PURCHASE_KEY = 0x10;
    private static final byte BIT_LOAD_KEY = 0x20;
    private static final byte BIT_TAC_KEY = 0x40;
    static final byte ALL = 0x7F;
    /** DGI length byte FF announces the 3-byte form, which no DGI of this application needs. */
    private static final short LENGTH_THREE_BYTE_FORM = 0xFF;
    /** Tag (2) | length (1). */
    static final short HEADER_LENGTH = 3;
    /** Key DGI value: key index (1) | key version (1) | algorithm ID (1) | key (16). */
    static final short KEY_OFFSET_VERSION = 1;
    static final short KEY_OFFSET_ALGORITHM = 2;
    static final short KEY_OFFSET_KEY = 3;

    private Dgi() {}

    /** Length of the DGI at {@code off}, checked to lie within {@code end}; 6A80 otherwise. */
    static short length(byte[] buf, short off, short end) {
        if ((short) (end - off) < HEADER_LENGTH) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        short length = (short) (buf[(short) (off + 2)] & 0xFF);
        if (length == LENGTH_THREE_BYTE_FORM || length > (short) (end - off - HEADER_LENGTH)) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        return length;
    }

    /** A secret DGI (tag bit 8000): its value travels encrypted, whatever DGI it is (docs/protocol.md 3.3). */
    static boolean secret(short tag) {
        return (short) (tag & Wire.DGI_SECRET) != 0;
    }

    /** The bit of a known DGI, 0 for an unknown one. */
    static byte bit(short tag) {
        switch (tag) {
            case Wire.DGI_ISSUER_DATA: return BIT_ISSUER_DATA;
            case Wire.DGI_MAX_BALANCE: return BIT_MAX_BALANCE;
            case Wire.DGI_LABEL: return BIT_LABEL;
            case Wire.DGI_PRIORITY: return BIT_PRIORITY;
            case Wire.DGI_PURCHASE_KEY: return BIT_PURCHASE_KEY;
            case Wire.DGI_LOAD_KEY: return BIT_LOAD_KEY;
            case Wire.DGI_TAC_KEY: return BIT_TAC_KEY;
            default: return 0;
        }
    }

    /** 6A88 for an unknown DGI, 6A80 for a value of the wrong size or content. */
    static void check(short tag, byte[] buf, short off, short length) {
        boolean ok;
        switch (tag) {
            case Wire.DGI_ISSUER_DATA:
                ok = length == Wire.ISSUER_DATA_LENGTH
                        && buf[(short) (off + Wire.ISSUER_DATA_OFFSET_TYPE)] == Wire.APPLICATION_TYPE_EP;
                break;
            case Wire.DGI_MAX_BALANCE:
                ok = length == UInt32.LENGTH;
                break;
            case Wire.DGI_LABEL:
                ok = length >= 1 && length <= Link.LABEL_MAX;
                for (short i = 0; ok && i < length; i++) {
                    byte c = buf[(short) (off + i)];
                    ok = c >= (byte) 0x20 && c <= (byte) 0x7E;
                }
                break;
            case Wire.DGI_PRIORITY:
                ok = length == 1 && buf[off] >= Link.PRIORITY_MIN && buf[off] <= Link.PRIORITY_MAX;
                break;
            case Wire.DGI_PURCHASE_KEY:
            case Wire.DGI_LOAD_KEY:
            case Wire.DGI_TAC_KEY:
            case Wire.DGI_MAINTENANCE_KEY:
                ok = length == Wire.KEY_DGI_LENGTH
                        && buf[off] == Wire.KEY_INDEX
                        && buf[(short) (off + KEY_OFFSET_ALGORITHM)] == Wire.ALGORITHM_DES;
                break;
            default:
                ISOException.throwIt(Wire.SW_REFERENCED_DATA_NOT_FOUND);
                return;
        }
        if (!ok) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
    }
}
