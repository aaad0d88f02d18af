package nfcpay.reliability.fuzz;

import java.io.ByteArrayOutputStream;
import nfcpay.reliability.sim.Bytes;
import nfcpay.sim.BigEndian;

/** Writes {@link Decoder} input, for the seed corpus: valid exchanges the fuzzer then mutates. */
final class Encoder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Encoder select(int target) {
        out.write(3);
        out.write(target);
        return this;
    }

    /** Template {@code t} with its normal header and {@code data}. */
    Encoder command(int template, byte[] data) {
        out.write(1);
        out.write(template);
        out.write(16);
        out.write(data.length);
        out.writeBytes(data);
        return this;
    }

    Encoder raw(byte[] apdu) {
        out.write(0);
        out.write(apdu.length >> 8);
        out.write(apdu.length);
        out.writeBytes(apdu);
        return this;
    }

    Encoder session(boolean purchase, long amount, String terminal, String date, String time, int corruption) {
        out.write(2);
        out.write((purchase ? 1 : 0) | corruption << 1);
        out.writeBytes(BigEndian.uint32(amount));
        out.writeBytes(Bytes.hex(terminal));
        out.writeBytes(Bytes.hex(date));
        out.writeBytes(Bytes.hex(time));
        return this;
    }

    /** A session whose amount is fitted to the purse and whose DEBIT carries {@code serial}. */
    Encoder fittedSession(boolean purchase, long amount, String terminal, String date, String time, int serial) {
        out.write(2);
        out.write((purchase ? 1 : 0) | 8 | 16);
        out.writeBytes(BigEndian.uint32(amount));
        out.writeBytes(Bytes.hex(terminal));
        out.writeBytes(Bytes.hex(date));
        out.writeBytes(Bytes.hex(time));
        out.write(serial >> 8);
        out.write(serial);
        return this;
    }

    /** A holder command (see {@link Decoder}, opcode 7). */
    Encoder holder(int command, boolean verifyFirst, boolean rightPin, int a, int b, byte[] data) {
        out.write(7);
        out.write(command);
        out.write((verifyFirst ? 1 : 0) | (rightPin ? 2 : 0));
        out.write(a);
        out.write(b);
        out.writeBytes(java.util.Arrays.copyOf(data, 8));
        return this;
    }

    Encoder gpo(String amountN12, String currency, int type) {
        out.write(4);
        out.writeBytes(Bytes.hex(amountN12));
        out.writeBytes(Bytes.hex(currency));
        out.write(type);
        out.write(0);
        out.write(0);
        return this;
    }

    /** STORE DATA with DGIs given as (index into {@link Decoder#DGI_TAGS}, value) pairs. */
    Encoder storeData(int p1, int p2, Object... dgis) {
        out.write(5);
        out.write(p1);
        out.write(p2);
        out.write(dgis.length / 2);
        for (int i = 0; i < dgis.length; i += 2) {
            byte[] value = (byte[]) dgis[i + 1];
            out.write((Integer) dgis[i]);
            out.write(value.length);
            out.writeBytes(value);
        }
        return this;
    }

    /** The bureau's STORE DATA of a block of known DGIs (tag | length | value each), as {@link #storeData} encodes it. */
    Encoder storeDataBlock(int p1, int p2, byte[] block) {
        java.util.List<Object> pairs = new java.util.ArrayList<>();
        for (int at = 0; at < block.length; ) {
            int tag = (block[at] & 0xFF) << 8 | (block[at + 1] & 0xFF);
            int length = block[at + 2] & 0xFF;
            int index = 0;
            while (Decoder.DGI_TAGS[index] != tag) {
                index++;
            }
            pairs.add(index);
            pairs.add(java.util.Arrays.copyOfRange(block, at + 3, at + 3 + length));
            at += 3 + length;
        }
        return storeData(p1, p2, pairs.toArray());
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
