package nfcpay.terminal.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;

/**
 * The terminal's key file: a Java properties file with the one issuer master key a terminal holds, the
 * master purchase key, 32 hex digits (a 16-byte double-length DES key):
 *
 * <pre>
 * # nfcpay terminal keys: keep this file readable by the terminal's user only
 * # master purchase key (the purchase security module)
 * mpk = 0123456789ABCDEFFEDCBA9876543210
 * </pre>
 *
 * (Properties files have no end-of-line comments: a comment is a line of its own.)
 *
 * A terminal never holds the load or TAC master keys (PROTOCOL.md 4.5): loads are authorized by the issuer
 * host, so an {@code mlk} entry is refused rather than silently ignored. A key equal to the published test
 * key is reported as "test keys" like the built-in default.
 */
public final class KeyFile {

    public static final String MPK = "mpk";
    /** The version of the card purchase keys MPK diversifies: two hex digits, 01 when absent. */
    public static final String MPK_VERSION = "mpk_version";
    /** Refused: the load key belongs to the issuer host only. */
    static final String MLK = "mlk";

    /** Diversifying one fixed serial tells a key equal to the test key without holding that key here. */
    private static final byte[] PROBE_SERIAL = new byte[PbocCrypto.SERIAL_LENGTH];

    private final Path file;
    private final byte[] mpk;
    private final int mpkVersion;

    private KeyFile(Path file, byte[] mpk, int mpkVersion) {
        this.file = file;
        this.mpk = mpk;
        this.mpkVersion = mpkVersion;
    }

    public static KeyFile load(Path file) throws KeyFileException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new KeyFileException("cannot read key file " + file + ": " + nfcpay.terminal.IoErrors.describe(e, file), e);
        }
        for (String name : p.stringPropertyNames()) {
            if (name.equals(MLK)) {
                throw new KeyFileException("key file " + file + ": a terminal holds no 'mlk': loads are authorized by the"
                        + " issuer host (nfcpay load --host URL); remove the entry");
            }
            if (!name.equals(MPK) && !name.equals(MPK_VERSION)) {
                throw new KeyFileException("key file " + file + ": unknown entry '" + name + "' (expected mpk, mpk_version)");
            }
        }
        return new KeyFile(file, key(p, MPK, file), version(p, file));
    }

    /** The purchase security module with this file's MPK. */
    public SoftwareSecurityModule purchaseModule() throws KeyFileException {
        byte[] k = require(mpk, MPK);
        return new SoftwareSecurityModule(serial -> PbocCrypto.diversify(k, serial),
                sameAs(k, IssuerMasterKeys.TEST.purchaseKey(PROBE_SERIAL)), mpkVersion);
    }

    private byte[] require(byte[] key, String name) throws KeyFileException {
        if (key == null) {
            throw new KeyFileException("key file " + file + " has no '" + name + "' entry");
        }
        return key.clone();
    }

    private static boolean sameAs(byte[] masterKey, byte[] testDerived) {
        byte[] derived = PbocCrypto.diversify(masterKey, PROBE_SERIAL);
        try {
            return Arrays.equals(derived, testDerived);
        } finally {
            PbocCrypto.wipe(derived, testDerived);
        }
    }

    private static int version(Properties p, Path file) throws KeyFileException {
        String value = p.getProperty(MPK_VERSION);
        if (value == null) {
            return 1;
        }
        String hex = value.strip();
        if (!hex.matches("[0-9A-Fa-f]{2}") || Integer.parseInt(hex, 16) == 0) {
            throw new KeyFileException("key file " + file + ": '" + MPK_VERSION + "' must be two hex digits, 01 to FF");
        }
        return Integer.parseInt(hex, 16);
    }

    private static byte[] key(Properties p, String name, Path file) throws KeyFileException {
        String value = p.getProperty(name);
        if (value == null) {
            return null;
        }
        String hex = value.replaceAll("\\s", "");
        if (!hex.matches("[0-9A-Fa-f]{" + 2 * PbocCrypto.DOUBLE_KEY_LENGTH + "}")) {
            throw new KeyFileException("key file " + file + ": '" + name + "' must be "
                    + 2 * PbocCrypto.DOUBLE_KEY_LENGTH + " hex digits");
        }
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public String toString() {
        return "KeyFile[" + file + "]";
    }
}
