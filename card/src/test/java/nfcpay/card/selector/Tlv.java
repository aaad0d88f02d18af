package nfcpay.card.selector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Minimal strict BER-TLV reader for the tests: 1- or 2-byte tags, lengths up to 82 HH LL. */
record Tlv(int tag, byte[] value) {

    static List<Tlv> parseAll(byte[] data) {
        List<Tlv> out = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int tag = data[at++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                tag = (tag << 8) | (data[at++] & 0xFF);
            }
            int length = data[at++] & 0xFF;
            if (length == 0x81) {
                length = data[at++] & 0xFF;
                if (length < 0x80) {
                    throw new IllegalArgumentException("81 form for a short length");
                }
            } else if (length == 0x82) {
                length = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
                at += 2;
                if (length < 0x100) {
                    throw new IllegalArgumentException("82 form for a length below 256");
                }
            } else if (length > 0x80) {
                throw new IllegalArgumentException("unsupported length form " + length);
            }
            if (at + length > data.length) {
                throw new IllegalArgumentException("value runs past the data");
            }
            out.add(new Tlv(tag, Arrays.copyOfRange(data, at, at + length)));
            at += length;
        }
        return out;
    }

    /** The single TLV that makes up {@code data}. */
    static Tlv parse(byte[] data) {
        List<Tlv> all = parseAll(data);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one TLV, got " + all.size());
        }
        return all.get(0);
    }

    List<Tlv> children() {
        return parseAll(value);
    }

    Tlv child(int childTag) {
        return children().stream().filter(t -> t.tag == childTag).findFirst()
                .orElseThrow(() -> new AssertionError("no tag " + Integer.toHexString(childTag)));
    }

    List<Integer> childTags() {
        return children().stream().map(Tlv::tag).toList();
    }

    /** Encodes a TLV with minimal BER length. */
    static byte[] encode(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        var out = new java.io.ByteArrayOutputStream();
        if (tag > 0xFF) {
            out.write(tag >> 8);
        }
        out.write(tag & 0xFF);
        if (length >= 256) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        } else if (length >= 128) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(length);
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
