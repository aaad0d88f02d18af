package nfcpay.host.keys;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * {@link KeyService} in software over the issuer master keys (the test keys by default, a key file
 * otherwise). TAC keys are cached per card: clearing verifies thousands of TACs a second and most
 * cards come back often, and diversification is two 3DES operations.
 */
public final class SoftwareKeyService implements KeyService {

    private static final byte PURCHASE = 0x06;
    private static final byte LOAD = 0x02;
    private static final int CACHE_LIMIT = 100_000;
    /** PROTOCOL.md 3.3's published test MLK and MTK (equal to nfcpay.crypto.IssuerMasterKeys.TEST's). */
    static final String TEST_MLK = "00112233445566778899AABBCCDDEEFF";
    static final String TEST_MTK = "8899AABBCCDDEEFF0011223344556677";

    private final byte[] mlk;
    private final byte[] mtk;
    /** Null when the key file names no mamk: then no issuer script is MAC'd (fail closed). */
    private final byte[] mamk;
    private final boolean testKeys;
    private final Map<String, byte[]> tacKeys = new ConcurrentHashMap<>();

    /** Over MLK and MTK; {@code testKeys} when they are the published ones. */
    public SoftwareKeyService(byte[] mlk, byte[] mtk, boolean testKeys) {
        this(mlk, mtk, null, testKeys);
    }

    /** Over MLK, MTK and the maintenance master key MAMK ({@code null}: no issuer scripts). */
    public SoftwareKeyService(byte[] mlk, byte[] mtk, byte[] mamk, boolean testKeys) {
        if (mlk.length != PbocCrypto.DOUBLE_KEY_LENGTH || mtk.length != PbocCrypto.DOUBLE_KEY_LENGTH
                || (mamk != null && mamk.length != PbocCrypto.DOUBLE_KEY_LENGTH)) {
            throw new IllegalArgumentException("MLK, MTK and MAMK must be 16-byte double-length DES keys");
        }
        this.mlk = mlk.clone();
        this.mtk = mtk.clone();
        this.mamk = mamk == null ? null : mamk.clone();
        this.testKeys = testKeys;
    }

    /** Over the published test master keys of PROTOCOL.md 3.3 and nfcpay's test MAMK (docs/protocol.md 3.6). */
    public static SoftwareKeyService withTestKeys() {
        return new SoftwareKeyService(HexFormat.of().parseHex(TEST_MLK), HexFormat.of().parseHex(TEST_MTK),
                HexFormat.of().parseHex(IssuerMasterKeys.TEST_MAMK), true);
    }

    @Override
    public boolean hasMaintenanceKey() {
        return mamk != null;
    }

    @Override
    public byte[] issuerScriptMac(byte[] cardSerial, byte[] challenge, byte[] header) {
        if (mamk == null) {
            throw new IllegalStateException("this host holds no maintenance master key (mamk in the key file)");
        }
        byte[] damk = PbocCrypto.diversify(mamk, cardSerial);
        try {
            return PbocCrypto.issuerScriptMac(damk, challenge, header);
        } finally {
            PbocCrypto.wipe(damk);
        }
    }

    @Override
    public boolean testKeys() {
        return testKeys;
    }

    @Override
    public boolean verifyLoadMac1(LoadSession s, byte[] oldBalance, byte[] amount, byte[] terminalId, byte[] mac1) {
        byte[] session = sessionKey(s);
        try {
            return PbocCrypto.macEquals(PbocCrypto.mac(session, oldBalance, amount, new byte[] {LOAD}, terminalId), mac1);
        } finally {
            PbocCrypto.wipe(session);
        }
    }

    @Override
    public byte[] generateLoadMac2(LoadSession s, byte[] amount, byte[] terminalId, byte[] date, byte[] time) {
        byte[] session = sessionKey(s);
        try {
            return PbocCrypto.mac(session, amount, new byte[] {LOAD}, terminalId, date, time);
        } finally {
            PbocCrypto.wipe(session);
        }
    }

    @Override
    public boolean verifyLoadTac(byte[] cardSerial, byte[] newBalance, byte[] onlineCounter, byte[] amount,
                                 byte[] terminalId, byte[] date, byte[] time, byte[] tac) {
        return PbocCrypto.macEquals(PbocCrypto.mac(tacKey(cardSerial), newBalance, onlineCounter, amount,
                new byte[] {LOAD}, terminalId, date, time), tac);
    }

    @Override
    public boolean verifyPurchaseTac(byte[] cardSerial, byte[] amount, byte[] terminalId, byte[] terminalSerial,
                                     byte[] date, byte[] time, byte[] tac) {
        return PbocCrypto.macEquals(PbocCrypto.mac(tacKey(cardSerial), amount, new byte[] {PURCHASE}, terminalId,
                terminalSerial, date, time), tac);
    }

    private byte[] sessionKey(LoadSession s) {
        byte[] dlk = PbocCrypto.diversify(mlk, s.cardSerial());
        try {
            return PbocCrypto.loadSessionKey(dlk, s.random(), s.onlineCounter());
        } finally {
            PbocCrypto.wipe(dlk);
        }
    }

    private byte[] tacKey(byte[] serial) {
        String id = HexFormat.of().formatHex(serial);
        byte[] k = tacKeys.get(id);
        if (k == null) {
            byte[] dtk = PbocCrypto.diversify(mtk, serial);
            k = PbocCrypto.tacKey(dtk);
            PbocCrypto.wipe(dtk);
            if (tacKeys.size() >= CACHE_LIMIT) {
                tacKeys.clear();
            }
            tacKeys.put(id, k);
        }
        return Arrays.copyOf(k, k.length);
    }

    @Override
    public String toString() {
        return testKeys() ? "software keys (test keys)" : "software keys (key file)";
    }
}
