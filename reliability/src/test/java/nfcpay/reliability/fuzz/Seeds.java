package nfcpay.reliability.fuzz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.smartcardio.CommandAPDU;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.reliability.sim.Bytes;
import nfcpay.sim.Personalizer;

/**
 * The seed corpus: valid exchanges and the contract's edge cases, which the fuzzers start from.
 * {@code SeedCorpusTest} holds the files under {@code src/test/resources/.../<Test>Inputs/<method>/}
 * equal to these (and rewrites them with {@code -Dnfcpay.fuzz.writeSeeds=true}).
 */
final class Seeds {

    private static final String T = "001122334455";
    private static final String DAY = "20260115";
    private static final String NOON = "120000";

    private Seeds() {}

    /** Seeds of {@code PurseFuzzTest.purse}: the Salary Card (320.00) selected. */
    static Map<String, byte[]> purse() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("purchase-and-load", new Encoder().session(true, 1_000, T, DAY, NOON, 0).session(false, 500, T, DAY, NOON, 0).bytes());
        seeds.put("wrong-mac-then-purchase", new Encoder().session(true, 100, T, DAY, NOON, 1).session(true, 100, T, DAY, NOON, 0).bytes());
        seeds.put("balance-log-prove", new Encoder().session(true, 700, T, DAY, NOON, 0)
                .command(4, new byte[0]).command(7, new byte[0]).command(5, Bytes.hex("0000")).command(6, Bytes.hex("0000")).bytes());
        seeds.put("purchase-after-expiry", new Encoder().session(true, 100, T, "20370101", NOON, 0).session(true, 100, T, DAY, NOON, 0).bytes());
        seeds.put("purchase-before-start", new Encoder().session(true, 100, T, "20251231", NOON, 0).bytes());
        seeds.put("purchase-above-balance", new Encoder().session(true, 32_001, T, DAY, NOON, 0).session(true, 32_000, T, DAY, NOON, 0).bytes());
        seeds.put("load-above-maximum", new Encoder().session(false, 4_968_001, T, DAY, NOON, 0).session(false, 4_968_000, T, DAY, NOON, 0).bytes());
        seeds.put("store-data-after-personalization", new Encoder().storeData(0x80, 0x00, 2, Bytes.hex("4576696C")).bytes());
        Encoder lock = new Encoder();
        for (int i = 0; i < 10; i++) {
            lock.session(true, 100, T, DAY, NOON, 1);
        }
        seeds.put("mac-lock", lock.session(true, 100, T, DAY, NOON, 0).bytes());
        seeds.put("debit-without-initialize", new Encoder().session(true, 100, T, DAY, NOON, 2).session(false, 100, T, DAY, NOON, 2).bytes());
        seeds.put("initialize-then-other-command", new Encoder().session(true, 100, T, DAY, NOON, 3).session(false, 100, T, DAY, NOON, 3).bytes());
        seeds.put("wrong-class-and-instruction", new Encoder().raw(Bytes.hex("84500102")).raw(Bytes.hex("80FF0000")).raw(Bytes.hex("00B200C4")).bytes());
        seeds.put("fitted-sessions-with-serials", new Encoder().fittedSession(true, 123_456, T, DAY, NOON, 0x1234)
                .fittedSession(false, 987_654, T, DAY, NOON, 0xFFFF).fittedSession(true, 77, "FFEEDDCCBBAA", "20361231", "235959", 0)
                .bytes());
        seeds.put("holder-then-purchase", new Encoder().select(1).holder(2, true, true, 1, 0, new byte[0])
                .holder(4, true, true, 2, 0, new byte[0]).select(0).fittedSession(true, 500, T, DAY, NOON, 7).bytes());
        seeds.put("zero-amount-and-key-index", new Encoder().command(0, Bytes.hex("010000000000112233445566"))
                .command(1, Bytes.hex("0200000064001122334455")).bytes());
        return seeds;
    }

    /** Seeds of {@code PurseFuzzTest.blankPurse}: a purse installed, not personalized. */
    static Map<String, byte[]> blankPurse() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<byte[]> blocks = FuzzSims.blankPersonalization();
        seeds.put("personalization", new Encoder().storeDataBlock(0x00, 0x00, blocks.get(0)).storeDataBlock(0x80, 0x01, blocks.get(1))
                .session(false, 10_000, T, DAY, NOON, 0).gpo("000000009000", "0156", 0).bytes());
        seeds.put("last-block-missing-dgis", new Encoder().storeDataBlock(0x80, 0x00, blocks.get(1)).bytes());
        seeds.put("wrong-block-number", new Encoder().storeDataBlock(0x00, 0x00, blocks.get(0)).storeData(0x00, 0x05, 3, Bytes.hex("01")).bytes());
        seeds.put("plaintext-store-data", new Encoder().raw(new CommandAPDU(0x80, 0xE2, 0x80, 0x00,
                PbocCrypto.concat(blocks.get(0), blocks.get(1))).getBytes()).bytes());
        seeds.put("unknown-dgi", new Encoder().storeData(0x00, 0x00, 7, Bytes.hex("00")).bytes());
        seeds.put("three-byte-length", new Encoder().raw(Bytes.hex("80E2000004010100FF")).bytes());
        seeds.put("commands-before-personalization", new Encoder().command(4, new byte[0]).command(0, Bytes.hex("0100000064001122334455")).bytes());
        // the bureau may put any TAC key in: a load then answers a TAC the SIM's issuer cannot check
        // (the first fuzzing run took that for a finding; the oracle now knows the fuzzer is the bureau here)
        IssuerMasterKeys otherTacKey = new IssuerMasterKeys(Bytes.hex("0123456789ABCDEFFEDCBA9876543210"),
                Bytes.hex("00112233445566778899AABBCCDDEEFF"), Bytes.hex("000102030405060708090A0B0C0D0E0F"), false);
        List<byte[]> other = new Personalizer(otherTacKey).dgiBlocks(FuzzSims.blank().card(FuzzSims.BLANK_LABEL));
        seeds.put("personalized-with-another-tac-key", new Encoder().storeDataBlock(0x00, 0x00, other.get(0))
                .storeDataBlock(0x80, 0x01, other.get(1)).session(false, 10_000, T, DAY, NOON, 0).bytes());
        return seeds;
    }

    /** Seeds of {@code SelectorFuzzTest.ppse}: the PPSE selected. */
    static Map<String, byte[]> ppse() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("gpo-default-card", new Encoder().gpo("000000001000", "0156", 0).bytes());
        seeds.put("gpo-second-card", new Encoder().gpo("000000020000", "0156", 0).bytes());
        seeds.put("gpo-nobody-covers", new Encoder().gpo("999999999999", "0156", 0).select(1).gpo("000000150001", "0156", 0).bytes());
        seeds.put("gpo-other-currency", new Encoder().gpo("000000001000", "0840", 0).bytes());
        seeds.put("gpo-not-a-purchase", new Encoder().gpo("000000001000", "0156", 1).bytes());
        seeds.put("gpo-twice", new Encoder().gpo("000000001000", "0156", 0).gpo("000000001000", "0156", 0).bytes());
        seeds.put("gpo-not-bcd", new Encoder().gpo("0000000010A0", "0156", 0).bytes());
        seeds.put("get-response-nothing-pending", new Encoder().raw(Bytes.hex("00C0000000")).bytes());
        seeds.put("holder-order-then-gpo", new Encoder().holder(3, true, true, 2, 0, new byte[] {2, 1, 0})
                .holder(5, false, false, 0, 0, new byte[0]).select(1).gpo("000000001000", "0156", 0).bytes());
        seeds.put("holder-wrong-pins-and-change", new Encoder().holder(0, false, false, 0, 0, "9999".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .holder(1, false, true, 0x12, 0x34, new byte[0]).holder(0, false, false, 0, 0, new byte[8])
                .holder(6, false, false, 0, 0, new byte[0]).bytes());
        seeds.put("holder-deactivate-and-policy", new Encoder().holder(2, true, true, 0, 0, new byte[0])
                .holder(4, true, true, 3, 0, new byte[0]).holder(2, false, false, 3, 1, new byte[0]).select(1)
                .gpo("000000001000", "0156", 0).bytes());
        seeds.put("select-unknown-then-gpo", new Encoder().select(3).gpo("000000001000", "0156", 0).bytes());
        return seeds;
    }
}
