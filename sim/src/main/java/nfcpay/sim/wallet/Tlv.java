package nfcpay.sim.wallet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strict BER-TLV for the SIM's answers (the holder commands', the PPSE FCI, GPO): 1- or 2-byte tags,
 * lengths up to 81 xx, as short APDU answers need.
 */
public record Tlv(int tag, byte[] value) {

    public static List<Tlv> parseAll(byte[] data) {
        List<Tlv> out = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int tag = data[at++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                require(at < data.length, "tag runs past the data");
                tag = (tag << 8) | (data[at++] & 0xFF);
            }
            require(at < data.length, "no length");
            int length = data[at++] & 0xFF;
            if (length == 0x81) {
                require(at < data.length, "no length");
                length = data[at++] & 0xFF;
            } else {
                require(length < 0x80, "unsupported length form");
            }
            require(length <= data.length - at, "value runs past the data");
            out.add(new Tlv(tag, Arrays.copyOfRange(data, at, at + length)));
            at += length;
        }
        return out;
    }

    /** Every TLV with {@code tag} in {@code data}, searched depth first through the constructed ones. */
    public static List<Tlv> findAll(byte[] data, int tag) {
        List<Tlv> found = new ArrayList<>();
        for (Tlv t : parseAll(data)) {
            if (t.tag == tag) {
                found.add(t);
            }
            if (t.constructed()) {
                found.addAll(findAll(t.value, tag));
            }
        }
        return found;
    }

    /** True when the value is more TLVs (bit 6 of the first tag byte). */
    public boolean constructed() {
        int first = tag > 0xFF ? tag >> 8 : tag;
        return (first & 0x20) != 0;
    }

    /** The first child with {@code tag}, or null. */
    public Tlv find(int childTag) {
        for (Tlv t : parseAll(value)) {
            if (t.tag == childTag) {
                return t;
            }
        }
        return null;
    }

    public Tlv get(int childTag) {
        Tlv t = find(childTag);
        require(t != null, "no tag " + Integer.toHexString(childTag));
        return t;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("malformed answer from the SIM: " + what);
        }
    }
}
