package nfcpay.terminal.testing;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.terminal.transport.Transport;

/**
 * A stand-in SIM for kernel tests that need a card with state but no applet: a PPSE (smart or
 * legacy) and electronic purses that follow PROTOCOL.md 2-3 and docs/protocol.md with the published
 * test keys. Written from the contract, independently of the kernel, so a kernel that misreads the
 * contract fails against it. The real applets are tested through jcardsim elsewhere.
 */
public final class FakeWallet implements Transport {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] PPSE = HEX.parseHex("325041592E5359532E4444463031");

    /** One electronic purse. Fields are public: tests set up odd states directly. */
    public static final class Purse {
        public final String aid;
        public final String label;
        public final int priority;
        public final byte[] serial;
        public long balance;
        /** The balance the purse was created with. */
        public final long opening;
        public int offlineCounter;
        public int onlineCounter;
        public Currency currency = Currency.getInstance("CNY");
        public LocalDate start = LocalDate.of(2020, 1, 1);
        public LocalDate expiry = LocalDate.of(2049, 12, 31);
        /** Log records, newest first, at most 10. */
        public final List<byte[]> log = new ArrayList<>();
        /** Last purchase / load proof: counter (2) | MAC2 (4) | TAC (4). */
        public byte[] purchaseProof;
        public byte[] loadProof;
        /** Set to make the next DEBIT answer a wrong MAC2 (everything else as usual). */
        public boolean corruptMac2;

        Purse(String aid, String label, int priority, byte[] serial, long balance) {
            this.aid = aid;
            this.label = label;
            this.priority = priority;
            this.serial = serial;
            this.balance = balance;
            this.opening = balance;
        }
    }

    private final List<Purse> purses = new ArrayList<>();
    private final boolean legacy;
    private final Random random;
    private Purse selected;
    private boolean ppseSelected;
    private boolean gpoArmed;
    /** The open session: INITIALIZE's data, consumed by the next command. */
    private byte[] purchaseSession;
    private byte[] loadSession;
    private int commands;

    public FakeWallet(boolean legacy, long seed) {
        this.legacy = legacy;
        this.random = new Random(seed);
    }

    /** Adds a purse with AID F0000008240101nn, priority nn, serial 8624 0000000000 00nn. */
    public FakeWallet purse(String label, long balance) {
        int n = purses.size() + 1;
        byte[] serial = HEX.parseHex(String.format("86240000000000000%03X", n));
        purses.add(new Purse(String.format("F0000008240101%02X", n), label, n, serial, balance));
        return this;
    }

    public Purse purse(String label) {
        return purses.stream().filter(p -> p.label.equals(label)).findFirst().orElseThrow();
    }

    public List<Purse> purses() {
        return purses;
    }

    /** How many APDUs this card has received. */
    public int commands() {
        return commands;
    }

    /** A new tap: power cycle, nothing selected, no session. */
    @Override
    public void close() {
        selected = null;
        ppseSelected = false;
        gpoArmed = false;
        purchaseSession = null;
        loadSession = null;
    }

    @Override
    public byte[] transceive(byte[] c) {
        commands++;
        byte[] purchase = purchaseSession;
        byte[] load = loadSession;
        purchaseSession = null; // any command closes the session; DEBIT/CREDIT consume it
        loadSession = null;
        boolean armed = gpoArmed;
        gpoArmed = false;
        int cla = c[0] & 0xFF;
        int ins = c[1] & 0xFF;
        int p1 = c[2] & 0xFF;
        int p2 = c[3] & 0xFF;
        byte[] data = c.length > 5 ? Arrays.copyOfRange(c, 5, 5 + (c[4] & 0xFF)) : new byte[0];
        if (cla == 0x00 && ins == 0xA4) {
            return select(data);
        }
        if (cla == 0x00 && ins == 0xB2) {
            return readRecord(p1);
        }
        if (cla != 0x80) {
            return sw(0x6E00);
        }
        switch (ins) {
            case 0xA8:
                return gpo(armed, data);
            case 0x50:
                return p1 == 0x01 ? initializeForPurchase(data) : initializeForLoad(data);
            case 0x54:
                return debit(purchase, data);
            case 0x52:
                return credit(load, data);
            case 0x5A:
                return prove(p2, data);
            case 0x5C:
                return selected == null ? sw(0x6985) : ok(u32(selected.balance));
            default:
                return sw(0x6D00);
        }
    }

    private byte[] select(byte[] aid) {
        selected = null;
        ppseSelected = false;
        if (Arrays.equals(aid, PPSE)) {
            if (purses.isEmpty()) {
                return sw(0x6A82);
            }
            ppseSelected = true;
            gpoArmed = true;
            ByteArrayOutputStream dir = new ByteArrayOutputStream();
            for (Purse p : purses) {
                dir.writeBytes(tlv("61", concat(tlv("4F", HEX.parseHex(p.aid)), tlv("50", p.label.getBytes()),
                        tlv("87", new byte[] {(byte) p.priority}))));
            }
            byte[] a5 = tlv("BF0C", dir.toByteArray());
            if (!legacy) {
                a5 = concat(a5, tlv("9F38", HEX.parseHex("9F02065F2A029C019F3704")));
            }
            return ok(tlv("6F", concat(tlv("84", PPSE), tlv("A5", a5))));
        }
        for (Purse p : purses) {
            if (Arrays.equals(aid, HEX.parseHex(p.aid))) {
                selected = p;
                byte[] issuerData = concat(HEX.parseHex("0102030405060708"), new byte[] {0x02, 0x01}, p.serial,
                        bcd(p.start), bcd(p.expiry), HEX.parseHex(String.format("%04d", p.currency.getNumericCode())));
                return ok(tlv("6F", concat(tlv("84", HEX.parseHex(p.aid)), tlv("A5", concat(tlv("50", p.label.getBytes()),
                        tlv("87", new byte[] {(byte) p.priority}), tlv("9F0C", issuerData))))));
            }
        }
        return sw(0x6A82);
    }

    private byte[] gpo(boolean armed, byte[] data) {
        if (legacy) {
            return sw(0x6D00);
        }
        if (!ppseSelected || !armed) {
            return sw(0x6985);
        }
        long amount = Long.parseLong(HEX.formatHex(data, 2, 8));
        int currency = Integer.parseInt(HEX.formatHex(data, 8, 10));
        for (Purse p : purses) { // PRIORITY policy: purses are in priority order
            if (p.currency.getNumericCode() == currency && p.balance >= amount) {
                return ok(tlv("77", concat(tlv("4F", HEX.parseHex(p.aid)), tlv("50", p.label.getBytes()),
                        tlv("87", new byte[] {(byte) p.priority}))));
            }
        }
        return sw(0x9401);
    }

    private byte[] initializeForPurchase(byte[] data) {
        if (selected == null) {
            return sw(0x6985);
        }
        long amount = u32(data, 1);
        if (amount == 0) {
            return sw(0x6A80);
        }
        if (selected.balance < amount) {
            return sw(0x9401);
        }
        byte[] rnd = randomBytes();
        // session: amount (4) | terminal ID (6) | random (4) | counter (2)
        purchaseSession = concat(Arrays.copyOfRange(data, 1, 11), rnd, u16(selected.offlineCounter));
        return ok(concat(u32(selected.balance), u16(selected.offlineCounter), new byte[] {0, 0, 0, 0x01, 0x00}, rnd));
    }

    private byte[] debit(byte[] session, byte[] data) {
        if (session == null || selected == null) {
            return sw(0x6901);
        }
        Purse p = selected;
        byte[] amount = Arrays.copyOfRange(session, 0, 4);
        byte[] tid = Arrays.copyOfRange(session, 4, 10);
        byte[] rnd = Arrays.copyOfRange(session, 10, 14);
        byte[] counter = Arrays.copyOfRange(session, 14, 16);
        byte[] terminalSerial = Arrays.copyOfRange(data, 0, 4);
        byte[] date = Arrays.copyOfRange(data, 4, 8);
        byte[] time = Arrays.copyOfRange(data, 8, 11);
        byte[] mac1 = Arrays.copyOfRange(data, 11, 15);
        byte[] sk = PbocCrypto.purchaseSessionKey(IssuerMasterKeys.TEST.purchaseKey(p.serial), rnd, counter, terminalSerial);
        if (!Arrays.equals(PbocCrypto.mac(sk, amount, new byte[] {0x06}, tid, date, time), mac1)) {
            return sw(0x9302);
        }
        byte[] mac2 = PbocCrypto.mac(sk, amount);
        if (p.corruptMac2) {
            mac2[0] ^= 0x01;
            p.corruptMac2 = false;
        }
        byte[] tac = PbocCrypto.mac(PbocCrypto.tacKey(IssuerMasterKeys.TEST.tacKey(p.serial)), amount, new byte[] {0x06}, tid,
                terminalSerial, date, time);
        p.balance -= u32(amount, 0);
        p.log.add(0, concat(counter, new byte[3], amount, new byte[] {0x06}, tid, date, time));
        trimLog(p);
        p.purchaseProof = concat(counter, mac2, tac);
        p.offlineCounter++;
        return ok(concat(tac, mac2));
    }

    private byte[] initializeForLoad(byte[] data) {
        if (selected == null) {
            return sw(0x6985);
        }
        long amount = u32(data, 1);
        if (amount == 0) {
            return sw(0x6A80);
        }
        byte[] rnd = randomBytes();
        byte[] counter = u16(selected.onlineCounter);
        byte[] sk = PbocCrypto.loadSessionKey(IssuerMasterKeys.TEST.loadKey(selected.serial), rnd, counter);
        byte[] mac1 = PbocCrypto.mac(sk, u32(selected.balance), Arrays.copyOfRange(data, 1, 5), new byte[] {0x02},
                Arrays.copyOfRange(data, 5, 11));
        loadSession = concat(Arrays.copyOfRange(data, 1, 11), rnd, counter);
        return ok(concat(u32(selected.balance), counter, new byte[] {0x01, 0x00}, rnd, mac1));
    }

    private byte[] credit(byte[] session, byte[] data) {
        if (session == null || selected == null) {
            return sw(0x6901);
        }
        Purse p = selected;
        byte[] amount = Arrays.copyOfRange(session, 0, 4);
        byte[] tid = Arrays.copyOfRange(session, 4, 10);
        byte[] rnd = Arrays.copyOfRange(session, 10, 14);
        byte[] counter = Arrays.copyOfRange(session, 14, 16);
        byte[] date = Arrays.copyOfRange(data, 0, 4);
        byte[] time = Arrays.copyOfRange(data, 4, 7);
        byte[] mac2 = Arrays.copyOfRange(data, 7, 11);
        byte[] sk = PbocCrypto.loadSessionKey(IssuerMasterKeys.TEST.loadKey(p.serial), rnd, counter);
        if (!Arrays.equals(PbocCrypto.mac(sk, amount, new byte[] {0x02}, tid, date, time), mac2)) {
            return sw(0x9302);
        }
        p.balance += u32(amount, 0);
        byte[] tac = PbocCrypto.mac(PbocCrypto.tacKey(IssuerMasterKeys.TEST.tacKey(p.serial)), u32(p.balance), counter, amount,
                new byte[] {0x02}, tid, date, time);
        p.log.add(0, concat(counter, new byte[3], amount, new byte[] {0x02}, tid, date, time));
        trimLog(p);
        p.loadProof = concat(counter, mac2, tac);
        p.onlineCounter++;
        return ok(tac);
    }

    private byte[] prove(int type, byte[] data) {
        if (selected == null) {
            return sw(0x6985);
        }
        byte[] proof = type == 0x06 ? selected.purchaseProof : selected.loadProof;
        if (proof == null || !Arrays.equals(Arrays.copyOfRange(proof, 0, 2), data)) {
            return sw(0x9406);
        }
        return ok(Arrays.copyOfRange(proof, 2, 10));
    }

    private byte[] readRecord(int n) {
        if (selected == null) {
            return sw(0x6985);
        }
        if (n == 0) {
            return sw(0x6A86);
        }
        return n > selected.log.size() ? sw(0x6A83) : ok(selected.log.get(n - 1));
    }

    private static void trimLog(Purse p) {
        while (p.log.size() > 10) {
            p.log.remove(p.log.size() - 1);
        }
    }

    private byte[] randomBytes() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return b;
    }

    private static byte[] bcd(LocalDate d) {
        return HEX.parseHex(String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
    }

    static byte[] tlv(String tag, byte[] value) {
        return concat(HEX.parseHex(tag), value.length > 127 ? new byte[] {(byte) 0x81, (byte) value.length}
                : new byte[] {(byte) value.length}, value);
    }

    static byte[] concat(byte[]... parts) {
        return PbocCrypto.concat(parts);
    }

    private static byte[] ok(byte[] data) {
        return concat(data, new byte[] {(byte) 0x90, 0x00});
    }

    private static byte[] sw(int sw) {
        return new byte[] {(byte) (sw >> 8), (byte) sw};
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
