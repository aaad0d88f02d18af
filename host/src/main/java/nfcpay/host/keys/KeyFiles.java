package nfcpay.host.keys;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The host's key file: a Java properties file with the two master keys only the issuer holds, each
 * 32 hex digits:
 *
 * <pre>
 * # nfcpay issuer host keys: readable by the host's user only
 * mlk = 00112233445566778899AABBCCDDEEFF
 * mtk = 8899AABBCCDDEEFF0011223344556677
 * </pre>
 *
 * Both entries are required; anything else in the file is an error (a typo must not fall back to a default).
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
            if (!name.equals("mlk") && !name.equals("mtk")) {
                throw new IllegalArgumentException("key file " + file + ": unknown entry '" + name + "' (expected mlk, mtk)");
            }
        }
        byte[] mlk = key(p, "mlk", file);
        byte[] mtk = key(p, "mtk", file);
        boolean test = HexFormat.of().formatHex(mlk).equalsIgnoreCase(SoftwareKeyService.TEST_MLK)
                || HexFormat.of().formatHex(mtk).equalsIgnoreCase(SoftwareKeyService.TEST_MTK);
        return new SoftwareKeyService(mlk, mtk, test);
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
