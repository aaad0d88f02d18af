package nfcpay.terminal.kernel;

import static nfcpay.terminal.apdu.TerminalWire.TAG_AID;
import static nfcpay.terminal.apdu.TerminalWire.TAG_DF_NAME;
import static nfcpay.terminal.apdu.TerminalWire.TAG_DIRECTORY_ENTRY;
import static nfcpay.terminal.apdu.TerminalWire.TAG_FCI_ISSUER_DISCRETIONARY;
import static nfcpay.terminal.apdu.TerminalWire.TAG_FCI_PROPRIETARY;
import static nfcpay.terminal.apdu.TerminalWire.TAG_FCI_TEMPLATE;
import static nfcpay.terminal.apdu.TerminalWire.TAG_ISSUER_DATA;
import static nfcpay.terminal.apdu.TerminalWire.TAG_LABEL;
import static nfcpay.terminal.apdu.TerminalWire.TAG_PDOL;
import static nfcpay.terminal.apdu.TerminalWire.TAG_PRIORITY;
import static nfcpay.terminal.apdu.TerminalWire.TAG_RESPONSE_TEMPLATE_2;

import com.payneteasy.tlv.BerTag;
import com.payneteasy.tlv.BerTlv;
import com.payneteasy.tlv.BerTlvParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.apdu.CardDataException;
import nfcpay.terminal.apdu.TerminalWire;

/** Reads the BER-TLV answers of SELECT and GET PROCESSING OPTIONS (EMV Book 1/3, Book B). */
final class Fci {

    private Fci() {}

    /** SELECT PPSE: 6F { 84, A5 { BF0C { 61 {4F 50 87} ... }, 9F38 } } (PROTOCOL.md 2.1). */
    static Directory ppse(byte[] data) throws CardDataException {
        try {
            BerTlv a5 = required(child(template(data, TAG_FCI_TEMPLATE), TAG_FCI_PROPRIETARY), "A5", "PPSE FCI");
            BerTlv bf0c = child(a5, TAG_FCI_ISSUER_DISCRETIONARY);
            List<CardApplication> apps = new ArrayList<>();
            if (bf0c != null) {
                for (BerTlv entry : bf0c.getValues()) {
                    if (entry.isTag(tag(TAG_DIRECTORY_ENTRY))) {
                        apps.add(application(entry, "PPSE directory entry"));
                    }
                }
            }
            BerTlv pdol = child(a5, TAG_PDOL);
            // A PDOL other than this contract's is one this terminal cannot fill: then choose by priority.
            boolean smart = pdol != null && pdol.isPrimitive()
                    && Arrays.equals(pdol.getBytesValue(), TerminalWire.SMART_SELECTION_PDOL);
            return new Directory(apps, smart);
        } catch (RuntimeException e) {
            throw malformed("PPSE FCI", e);
        }
    }

    /** GET PROCESSING OPTIONS on the PPSE: 77 { 4F 50 87 } (PROTOCOL.md 2.2). */
    static CardApplication selection(byte[] data) throws CardDataException {
        try {
            return application(template(data, TAG_RESPONSE_TEMPLATE_2), "smart selection answer");
        } catch (RuntimeException e) {
            throw malformed("smart selection answer", e);
        }
    }

    /** SELECT of an EP: 6F { 84 AID, A5 { 50, 87, 9F0C } } (PROTOCOL.md 3.1). */
    static ApplicationFci application(byte[] data, String requestedAid) throws CardDataException {
        try {
            BerTlv fci = template(data, TAG_FCI_TEMPLATE);
            BerTlv dfName = required(child(fci, TAG_DF_NAME), "84", "application FCI");
            String aid = Bytes.hex(dfName.getBytesValue());
            if (!aid.equalsIgnoreCase(requestedAid)) {
                throw new CardDataException("SELECT " + requestedAid + " answered for application " + aid);
            }
            BerTlv a5 = child(fci, TAG_FCI_PROPRIETARY);
            BerTlv issuerData = a5 == null ? null : child(a5, TAG_ISSUER_DATA);
            if (issuerData == null) {
                throw new CardDataException("application " + aid + " is not a personalized electronic purse (no 9F0C)");
            }
            CardApplication app = new CardApplication(aid, label(child(a5, TAG_LABEL), aid), priority(child(a5, TAG_PRIORITY)));
            return new ApplicationFci(app, IssuerData.parse(issuerData.getBytesValue()));
        } catch (RuntimeException e) {
            throw malformed("application FCI", e);
        }
    }

    private static CardApplication application(BerTlv entry, String what) throws CardDataException {
        BerTlv aid = required(child(entry, TAG_AID), "4F", what);
        String aidHex = Bytes.hex(aid.getBytesValue());
        if (aid.getBytesValue().length < 5 || aid.getBytesValue().length > 16) {
            throw new CardDataException(what + ": an AID is 5 to 16 bytes, not " + aid.getBytesValue().length);
        }
        return new CardApplication(aidHex, label(child(entry, TAG_LABEL), aidHex), priority(child(entry, TAG_PRIORITY)));
    }

    private static String label(BerTlv label, String aid) {
        return label == null ? aid : new String(label.getBytesValue(), StandardCharsets.US_ASCII);
    }

    /** Priority indicator 87: b4..b1 the priority, 0 = none given (EMV Book 1 12.2.3). */
    private static int priority(BerTlv priority) {
        return priority == null || priority.getBytesValue().length != 1 ? 0 : priority.getBytesValue()[0] & 0x0F;
    }

    private static BerTlv template(byte[] data, int expected) throws CardDataException {
        if (data.length == 0) {
            throw new CardDataException("empty answer where template " + Integer.toHexString(expected).toUpperCase() + " was expected");
        }
        BerTlv t = new BerTlvParser().parseConstructed(data);
        if (!t.isTag(tag(expected)) || !t.isConstructed()) {
            throw new CardDataException(String.format("expected template %02X, got %s", expected, Bytes.hex(t.getTag().bytes)));
        }
        return t;
    }

    /** The direct child with this tag (not a deeper one), or null. */
    private static BerTlv child(BerTlv parent, int tag) {
        if (!parent.isConstructed()) {
            return null;
        }
        BerTag t = tag(tag);
        for (BerTlv c : parent.getValues()) {
            if (c.isTag(t)) {
                return c;
            }
        }
        return null;
    }

    private static BerTlv required(BerTlv tlv, String tag, String what) throws CardDataException {
        if (tlv == null) {
            throw new CardDataException(what + " has no tag " + tag);
        }
        return tlv;
    }

    private static BerTag tag(int tag) {
        return tag > 0xFF ? new BerTag(tag >>> 8, tag & 0xFF) : new BerTag(tag);
    }

    private static CardDataException malformed(String what, RuntimeException e) {
        return new CardDataException(what + " is not valid BER-TLV", e);
    }
}
