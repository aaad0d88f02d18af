package nfcpay.host;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * A card's side of PROTOCOL.md 3.3 under the test keys, for host tests that must not depend on the card
 * module: it answers INITIALIZE FOR LOAD with MAC1, checks MAC2 and answers the load TAC, and makes
 * purchase TACs. Its balance and counters move as the card's would.
 */
final class TestPurse {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    final String serial;
    final String aid = "F000000824010101";
    long balance;
    int onlineCounter;
    int offlineCounter;
    private byte[] random;
    private long loadAmount;
    private String loadTerminal;

    /** A purse with {@code balance} already on it (purchase tests need no load first). */
    TestPurse(long balance) {
        this();
        this.balance = balance;
    }

    TestPurse() {
        byte[] s = new byte[10];
        RANDOM.nextBytes(s);
        this.serial = HEX.formatHex(s);
    }

    /** INITIALIZE FOR LOAD + the date/time the terminal will send: the body of POST /v1/loads. */
    Map<String, Object> initializeForLoad(String terminalId, long amount, String date, String time) {
        random = new byte[4];
        RANDOM.nextBytes(random);
        loadAmount = amount;
        loadTerminal = terminalId;
        byte[] session = PbocCrypto.loadSessionKey(IssuerMasterKeys.TEST.loadKey(bytes(serial)), random, be(onlineCounter, 2));
        byte[] mac1 = PbocCrypto.mac(session, be(balance, 4), be(amount, 4), new byte[] {2}, bytes(terminalId));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("terminal_id", terminalId);
        m.put("card_serial", serial);
        m.put("aid", aid);
        m.put("amount", amount);
        m.put("currency", "CNY");
        m.put("old_balance", balance);
        m.put("online_counter", onlineCounter);
        m.put("key_version", 1);
        m.put("algorithm_id", 0);
        m.put("random", HEX.formatHex(random));
        m.put("mac1", HEX.formatHex(mac1));
        m.put("date", date);
        m.put("time", time);
        return m;
    }

    /** CREDIT FOR LOAD: verifies MAC2 as the card would, credits, and answers the TAC; null for a bad MAC2. */
    String creditForLoad(String mac2, String date, String time) {
        byte[] session = PbocCrypto.loadSessionKey(IssuerMasterKeys.TEST.loadKey(bytes(serial)), random, be(onlineCounter, 2));
        byte[] expected = PbocCrypto.mac(session, be(loadAmount, 4), new byte[] {2}, bytes(loadTerminal), bytes(date), bytes(time));
        if (!PbocCrypto.macEquals(expected, bytes(mac2))) {
            return null;
        }
        long newBalance = balance + loadAmount;
        byte[] tac = PbocCrypto.mac(PbocCrypto.tacKey(IssuerMasterKeys.TEST.tacKey(bytes(serial))), be(newBalance, 4),
                be(onlineCounter, 2), be(loadAmount, 4), new byte[] {2}, bytes(loadTerminal), bytes(date), bytes(time));
        balance = newBalance;
        onlineCounter++;
        return HEX.formatHex(tac);
    }

    /** A completed purchase as the terminal uploads it (PROTOCOL.md 5.2); the purse is debited. */
    Map<String, Object> purchase(String terminalId, long terminalSerial, long amount, String date, String time) {
        byte[] tac = PbocCrypto.mac(PbocCrypto.tacKey(IssuerMasterKeys.TEST.tacKey(bytes(serial))), be(amount, 4),
                new byte[] {6}, bytes(terminalId), be(terminalSerial, 4), bytes(date), bytes(time));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("card_serial", serial);
        m.put("aid", aid);
        m.put("amount", amount);
        m.put("currency", "CNY");
        m.put("offline_counter", offlineCounter);
        m.put("terminal_serial", terminalSerial);
        m.put("date", date);
        m.put("time", time);
        m.put("balance_before", balance);
        m.put("tac", HEX.formatHex(tac));
        balance -= amount;
        offlineCounter++;
        return m;
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] be(long v, int n) {
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    static String randomTerminalId() {
        byte[] t = new byte[6];
        RANDOM.nextBytes(t);
        return HEX.formatHex(t);
    }
}
