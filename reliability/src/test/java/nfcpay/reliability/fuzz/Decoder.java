package nfcpay.reliability.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fuzz input format: a byte string read front to back into {@link Action}s (missing bytes read as
 * zero), so that seeds are easy to write ({@link Encoder}) and every mutation still decodes to commands.
 * One action: an opcode byte (mod 8), then its fields:
 * <pre>
 *   0 raw        L (2, mod 300) | L bytes
 *   1 command    template (1) | mask (1) | CLA INS P1 P2 (1 each, when the mask bit is set) | Lc (1, bit 4) | data
 *   2 session    flags (1: b0 purchase, b1..b2 corruption, b3 fit the amount to the purse, b4 own serial) |
 *                amount (4) | terminal (6) | date (4) | time (3) | [serial (2), when b4]
 *   3 select     target (1)
 *   4 gpo        amount (6) | currency (2) | type (1) | P1P2 (2)
 *   5 store data P1 (1) | P2 (1) | n (1) | n x (DGI index (1) | L (1) | L bytes)
 *   6 command    template (1) with the template's data length of fuzzed data
 *   7 holder     command (1) | flags (1: b0 VERIFY the right PIN first, b1 the right PIN in the command) |
 *                a (1) | b (1) | data (8)
 * </pre>
 * Sessions are signed by the terminal with the issuer's keys over the fuzzed fields, so a mutated amount,
 * date, time, terminal or serial still carries a valid MAC1/MAC2; "fit" takes the amount modulo what the
 * purse can pay or take, so that mutated sessions keep reaching successful payments.
 */
final class Decoder {

    /** CLA INS P1 P2 Lc of the contract's commands (PROTOCOL.md 3.2, 2.2), and two it does not have. */
    static final int[][] TEMPLATES = {
        {0x80, 0x50, 0x01, 0x02, 11}, {0x80, 0x50, 0x00, 0x02, 11}, {0x80, 0x54, 0x01, 0x00, 15},
        {0x80, 0x52, 0x00, 0x00, 11}, {0x80, 0x5C, 0x00, 0x02, 0}, {0x80, 0x5A, 0x00, 0x06, 2},
        {0x80, 0x5A, 0x00, 0x02, 2}, {0x00, 0xB2, 0x01, 0xC4, 0}, {0x80, 0xE2, 0x80, 0x00, 22},
        {0x00, 0xC0, 0x00, 0x00, 0}, {0x80, 0xA8, 0x00, 0x00, 15}, {0x80, 0xCA, 0x9F, 0x36, 0},
    };
    static final int[] DGI_TAGS = {0x0101, 0x0102, 0x0103, 0x0104, 0x8101, 0x8102, 0x8103, 0x0105, 0x9F01, 0x8104};
    static final int MAX_ACTIONS = 40;

    private final byte[] input;
    private int at;

    private Decoder(byte[] input) {
        this.input = input;
    }

    static List<Action> decode(byte[] input) {
        Decoder d = new Decoder(input);
        List<Action> actions = new ArrayList<>();
        while (d.at < input.length && actions.size() < MAX_ACTIONS) {
            actions.add(d.action());
        }
        return actions;
    }

    private int u8() {
        return at < input.length ? input[at++] & 0xFF : 0;
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) u8();
        }
        return out;
    }

    private Action action() {
        switch (u8() % 8) {
            case 0:
                return new Action.Raw(bytes((u8() << 8 | u8()) % 300));
            case 1: {
                int[] t = TEMPLATES[u8() % TEMPLATES.length];
                int mask = u8();
                int cla = (mask & 1) != 0 ? u8() : t[0];
                int ins = (mask & 2) != 0 ? u8() : t[1];
                int p1 = (mask & 4) != 0 ? u8() : t[2];
                int p2 = (mask & 8) != 0 ? u8() : t[3];
                int lc = (mask & 16) != 0 ? u8() : t[4];
                return new Action.Command(cla, ins, p1, p2, bytes(lc), 256);
            }
            case 2: {
                int flags = u8();
                long amount = (long) u8() << 24 | (long) u8() << 16 | (long) u8() << 8 | u8();
                byte[] terminal = bytes(6);
                String date = String.format("%08X", (long) u8() << 24 | (long) u8() << 16 | (long) u8() << 8 | u8());
                String time = String.format("%06X", u8() << 16 | u8() << 8 | u8());
                int serial = (flags & 16) != 0 ? u8() << 8 | u8() : -1;
                return new Action.Session((flags & 1) != 0, amount, terminal, digits(date, "20260115"),
                        digits(time, "093000"), (flags >> 1) & 3, (flags & 8) != 0, serial);
            }
            case 3:
                return new Action.Select(u8());
            case 4:
                return new Action.Gpo(bytes(6), bytes(2), u8(), u8() << 8 | u8());
            case 5: {
                int p1 = u8();
                int p2 = u8();
                int n = u8() % 8;
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                for (int i = 0; i < n; i++) {
                    int tag = DGI_TAGS[u8() % DGI_TAGS.length];
                    int length = u8();
                    data.write(tag >> 8);
                    data.write(tag);
                    data.write(length);
                    data.writeBytes(bytes(Math.min(length, 60)));
                }
                byte[] d = data.toByteArray();
                return new Action.StoreData(p1, p2, Arrays.copyOf(d, Math.min(d.length, Exercise.STORE_DATA_MAX)));
            }
            case 6: {
                int[] t = TEMPLATES[u8() % TEMPLATES.length];
                return new Action.Command(t[0], t[1], t[2], t[3], bytes(t[4]), 256);
            }
            default: {
                int command = u8() % 7;
                int flags = u8();
                return new Action.Holder(command, (flags & 1) != 0, (flags & 2) != 0, u8(), u8(), bytes(8));
            }
        }
    }

    /** The hex of fuzzed bytes when it is all decimal digits (a BCD date or time), else {@code otherwise}. */
    private static String digits(String hex, String otherwise) {
        return hex.chars().allMatch(Character::isDigit) ? hex : otherwise;
    }
}
