package nfcpay.reliability.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Just enough BER-TLV to read the PPSE FCI and the GPO answer: tags of 1 or 2 bytes, lengths up to 82 HH LL. */
public final class Tlv {

    private Tlv() {}

    /** One TLV: its tag as an int (e.g. 0x9F38) and its value. */
    public record Element(int tag, byte[] value) {
        public boolean constructed() {
            int first = tag > 0xFF ? tag >> 8 : tag;
            return (first & 0x20) != 0;
        }
    }

    public static List<Element> parse(byte[] data) {
        List<Element> out = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int tag = data[at++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                tag = (tag << 8) | (data[at++] & 0xFF);
            }
            int length = data[at++] & 0xFF;
            if (length == 0x81) {
                length = data[at++] & 0xFF;
            } else if (length == 0x82) {
                length = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
                at += 2;
            } else if (length > 0x7F) {
                throw new IllegalArgumentException("unsupported BER length " + Integer.toHexString(length));
            }
            if (at + length > data.length) {
                throw new IllegalArgumentException("TLV runs past the data");
            }
            out.add(new Element(tag, Arrays.copyOfRange(data, at, at + length)));
            at += length;
        }
        return out;
    }

    /** Every element with {@code tag}, searched depth first through constructed elements. */
    public static List<Element> findAll(byte[] data, int tag) {
        List<Element> found = new ArrayList<>();
        for (Element e : parse(data)) {
            if (e.tag() == tag) {
                found.add(e);
            }
            if (e.constructed()) {
                found.addAll(findAll(e.value(), tag));
            }
        }
        return found;
    }

    public static byte[] find(byte[] data, int tag) {
        List<Element> all = findAll(data, tag);
        return all.isEmpty() ? null : all.get(0).value();
    }
}
