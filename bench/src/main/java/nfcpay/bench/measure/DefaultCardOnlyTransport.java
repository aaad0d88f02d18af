package nfcpay.bench.measure;

import com.payneteasy.tlv.BerTag;
import com.payneteasy.tlv.BerTlv;
import com.payneteasy.tlv.BerTlvParser;
import java.io.ByteArrayOutputStream;
import java.util.List;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.TransportException;

/**
 * The DEFAULT_CARD strategy, the prior art: a wallet that shows the reader its default card only.
 * Between the (unchanged) kernel and the card it cuts the PPSE directory of a legacy SIM down to
 * its highest-priority entry, so the kernel's EMV Book B walk has one candidate and a short
 * default card is a decline. Everything the card really sent, the whole directory included, has
 * already been counted below this wrapper; every other APDU passes untouched.
 */
public final class DefaultCardOnlyTransport implements Transport {

    private static final int SW_OK = 0x9000;
    private static final BerTag FCI = new BerTag(0x6F);
    private static final BerTag PROPRIETARY = new BerTag(0xA5);
    private static final BerTag DISCRETIONARY = new BerTag(0xBF, 0x0C);
    private static final BerTag ENTRY = new BerTag(0x61);
    private static final BerTag PRIORITY = new BerTag(0x87);

    private final Transport inner;

    public DefaultCardOnlyTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public byte[] transceive(byte[] command) throws TransportException {
        byte[] response = inner.transceive(command);
        int n = response.length;
        if (!CountingTransport.isPpse(command) || n < 2 || ((response[n - 2] & 0xFF) << 8 | response[n - 1] & 0xFF) != SW_OK) {
            return response;
        }
        return defaultCardOnly(response);
    }

    /** The PPSE answer with one directory entry left: the lowest 87 (the first such in the card's order). */
    static byte[] defaultCardOnly(byte[] response) {
        BerTlv fci = new BerTlvParser().parseConstructed(response, 0, response.length - 2);
        if (!fci.isTag(FCI)) {
            return response;
        }
        ByteArrayOutputStream fciValue = new ByteArrayOutputStream();
        for (BerTlv child : fci.getValues()) {
            if (!child.isTag(PROPRIETARY)) {
                fciValue.writeBytes(encode(child));
                continue;
            }
            ByteArrayOutputStream a5 = new ByteArrayOutputStream();
            for (BerTlv item : child.getValues()) {
                if (!item.isTag(DISCRETIONARY)) {
                    a5.writeBytes(encode(item));
                    continue;
                }
                BerTlv first = highestPriority(item.getValues());
                a5.writeBytes(tlv(DISCRETIONARY, first == null ? new byte[0] : encode(first)));
            }
            fciValue.writeBytes(tlv(PROPRIETARY, a5.toByteArray()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tlv(FCI, fciValue.toByteArray()));
        out.write(0x90);
        out.write(0x00);
        return out.toByteArray();
    }

    private static BerTlv highestPriority(List<BerTlv> entries) {
        BerTlv best = null;
        int bestPriority = Integer.MAX_VALUE;
        for (BerTlv e : entries) {
            if (!e.isTag(ENTRY)) {
                continue;
            }
            BerTlv p = e.find(PRIORITY);
            int priority = p == null ? Integer.MAX_VALUE - 1 : p.getBytesValue()[0] & 0x0F;
            if (priority < bestPriority) {
                best = e;
                bestPriority = priority;
            }
        }
        return best;
    }

    private static byte[] encode(BerTlv t) {
        if (!t.isConstructed()) {
            return tlv(t.getTag(), t.getBytesValue());
        }
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (BerTlv child : t.getValues()) {
            value.writeBytes(encode(child));
        }
        return tlv(t.getTag(), value.toByteArray());
    }

    /** BER-TLV with the definite length form (81 xx, 82 xx xx when long). */
    static byte[] tlv(BerTag tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tag.bytes);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    @Override
    public void close() throws TransportException {
        inner.close();
    }
}
