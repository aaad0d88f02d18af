package nfcpay.host.keys;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The host's key file: a Java properties file with the master keys only the issuer holds, each
 * 32 hex digits:
 *
 * <pre>
 * # nfcpay issuer host keys: readable by the host's user only
 * mlk = 00112233445566778899AABBCCDDEEFF
 * mtk = 8899AABBCCDDEEFF0011223344556677
 * mamk = F0E1D2C3B4A5968778695A4B3C2D1E0F
 * </pre>
 *
 * mlk and mtk are required; mamk (the application maintenance master key, for issuer scripts) is optional, and
 * without it the host MACs no script (fail closed, never a default). Anything else in the file is an error (a typo
 * must not fall back to a default).
 */
public final class KeyFiles {

    private KeyFiles() {}

    public static SoftwareKeyService load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        for (String name : p.stringPropertyNames()) {
            if (!name.equals("mlk") && !name.equals("mtk") && !name.equals("mamk")) {
                throw new IllegalArgumentException("key file " + file + ": unknown entry '" + name
                        + "' (expected mlk, mtk, mamk)");
            }
        }
        byte[] mlk = key(p, "mlk", file);
        byte[] mtk = key(p, "mtk", file);
        byte[] mamk = p.getProperty("mamk") == null ? null : key(p, "mamk", file);
        boolean test = HexFormat.of().formatHex(mlk).equalsIgnoreCase(SoftwareKeyService.TEST_MLK)
                || HexFormat.of().formatHex(mtk).equalsIgnoreCase(SoftwareKeyService.TEST_MTK)
                || (mamk != null && HexFormat.of().formatHex(mamk).equalsIgnoreCase(nfcpay.crypto.IssuerMasterKeys.TEST_MAMK));
        return new SoftwareKeyService(mlk, mtk, mamk, test);
    }

    private static byte[] key(Properties p, String name, Path file) {
        String v = p.getProperty(name);
        if (v == null) {
            throw new IllegalArgumentException("key file " + file + " has no '" + name + "' entry");
        }
        v = v.trim();
        if (!v.matches("[0-9A-Fa-f]{32}")) {
            throw new IllegalArgumentException("key file " + file + ": '" + name + "' must be 32 hex digits");
        }
        return HexFormat.of().parseHex(v);
    }
}
