package nfcpay.card;

import nfcpay.card.link.Link;

/** The card's byte strings as arrays, for tests (the card writes them with code: no static arrays in its library packages). */
public final class TestAids {

    private TestAids() {}

    /** "2PAY.SYS.DDF01", from {@link Link#writePpseAid}; a fresh copy each call. */
    public static byte[] ppse() {
        byte[] aid = new byte[Link.PPSE_AID_LENGTH];
        Link.writePpseAid(aid, (short) 0);
        return aid;
    }

    /** The smart-selection PDOL value, from {@link Wire#writeSmartSelectionPdol}. */
    public static byte[] smartSelectionPdol() {
        byte[] pdol = new byte[Wire.SMART_SELECTION_PDOL_LENGTH];
        Wire.writeSmartSelectionPdol(pdol, (short) 0);
        return pdol;
    }
}
