package nfcpay.crypto;

import java.util.HexFormat;

/**
 * The issuer master keys MPK (purchase), MLK (load) and MTK (TAC) from which every card key is
 * diversified (PROTOCOL.md 3.3); optionally the application maintenance master key MAMK whose
 * diversified DAMK MACs the issuer scripts APPLICATION BLOCK / UNBLOCK (docs/protocol.md 3.6); and
 * optionally the personalization master key KMC from which each purse's personalization key KPERSO is
 * diversified the same way (docs/protocol.md 3.3).
 *
 * <p>{@link #TEST} holds the published test keys of the contract; anything that uses them must say
 * "test keys" in its output. Production keys come from a key file, never from code.
 */
public final class IssuerMasterKeys {

    /** nfcpay's published test MAMK (docs/protocol.md 3.6; PROTOCOL.md names none): not secret either. */
    public static final String TEST_MAMK = "F0E1D2C3B4A5968778695A4B3C2D1E0F";
    /** The test personalization master key: GlobalPlatform's well-known default key 40..4F. Not secret. */
    public static final String TEST_KMC_HEX = "404142434445464748494A4B4C4D4E4F";
    /** The version of the personalization key every purse is installed with here. */
    public static final int PERSONALIZATION_KEY_VERSION = 0x01;

    /** The published test master keys (PROTOCOL.md 3.3). Not secret: never use them for real money. */
    public static final IssuerMasterKeys TEST = new IssuerMasterKeys(
            HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210"),
            HexFormat.of().parseHex("00112233445566778899AABBCCDDEEFF"),
            HexFormat.of().parseHex("8899AABBCCDDEEFF0011223344556677"),
            HexFormat.of().parseHex(IssuerMasterKeys.TEST_MAMK),
            HexFormat.of().parseHex(TEST_KMC_HEX),
            true);

    private final byte[] mpk;
    private final byte[] mlk;
    private final byte[] mtk;
    /** Null: these keys personalize no maintenance key, and {@link #maintenanceKey} refuses. */
    private final byte[] mamk;
    /** Null when these keys cannot personalize (a terminal's or a host's). */
    private final byte[] kmc;
    private final boolean testKeys;

    /** Keys that pay, load and clear, but personalize nothing. */
    public IssuerMasterKeys(byte[] mpk, byte[] mlk, byte[] mtk, boolean testKeys) {
        this(mpk, mlk, mtk, null, null, testKeys);
    }

    /**
     * {@code mamk} null for an issuer without issuer scripts; {@code kmc}, the personalization master key,
     * null for keys that personalize nothing.
     */
    public IssuerMasterKeys(byte[] mpk, byte[] mlk, byte[] mtk, byte[] mamk, byte[] kmc, boolean testKeys) {
        this.mpk = checked(mpk, "MPK");
        this.mlk = checked(mlk, "MLK");
        this.mtk = checked(mtk, "MTK");
        this.mamk = mamk == null ? null : checked(mamk, "MAMK");
        this.kmc = kmc == null ? null : checked(kmc, "KMC");
        this.testKeys = testKeys;
    }

    /** True when these keys include a maintenance master key. */
    public boolean hasMaintenanceKey() {
        return mamk != null;
    }

    /** The card's DAMK for the given application serial number; fails closed without a MAMK. */
    public byte[] maintenanceKey(byte[] applicationSerial) {
        if (mamk == null) {
            throw new IllegalStateException("these issuer keys hold no maintenance master key (MAMK)");
        }
        return PbocCrypto.diversify(mamk, applicationSerial);
    }

    /** True when these are the published test keys, which every output must then say. */
    public boolean isTestKeys() {
        return testKeys;
    }

    /** The card's DPK for the given application serial number. */
    public byte[] purchaseKey(byte[] applicationSerial) {
        return PbocCrypto.diversify(mpk, applicationSerial);
    }

    /** The card's DLK for the given application serial number. */
    public byte[] loadKey(byte[] applicationSerial) {
        return PbocCrypto.diversify(mlk, applicationSerial);
    }

    /** The card's DTK for the given application serial number. */
    public byte[] tacKey(byte[] applicationSerial) {
        return PbocCrypto.diversify(mtk, applicationSerial);
    }

    /**
     * The purse's personalization key KPERSO for the given application serial number, which it is given at
     * install and which authenticates and encrypts its personalization. No KMC here → IllegalStateException.
     */
    public byte[] personalizationKey(byte[] applicationSerial) {
        if (kmc == null) {
            throw new IllegalStateException("these issuer keys have no personalization master key (KMC)");
        }
        return PbocCrypto.diversify(kmc, applicationSerial);
    }

    @Override
    public String toString() {
        return testKeys ? "IssuerMasterKeys[test keys]" : "IssuerMasterKeys[****]";
    }

    private static byte[] checked(byte[] key, String name) {
        if (key == null || key.length != PbocCrypto.DOUBLE_KEY_LENGTH) {
            throw new IllegalArgumentException(name + " must be a 16-byte double-length DES key");
        }
        return key.clone();
    }
}
