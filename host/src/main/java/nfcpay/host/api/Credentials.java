package nfcpay.host.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;

/**
 * Bearer tokens (PROTOCOL.md 5.1): 32 random bytes, base64url; only their SHA-256 is stored, so the
 * database does not hold a usable credential.
 */
public final class Credentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {}

    /** Issues a new token for one terminal (12 hex digits) or, with {@code terminalId} null, for the admin. */
    public static String issue(Connection c, String terminalId) throws SQLException {
        if (terminalId != null && (terminalId.length() != 12 || !Fields.isHex(terminalId))) {
            throw new IllegalArgumentException("a terminal ID is 6 bytes: 12 hex digits, got '" + terminalId + "'");
        }
        terminalId = terminalId == null ? null : terminalId.toUpperCase(java.util.Locale.ROOT);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO credential (token_hash, role, terminal_id) VALUES (?, ?, ?)")) {
            s.setBytes(1, hash(token));
            s.setString(2, terminalId == null ? "admin" : "terminal");
            s.setString(3, terminalId);
            s.executeUpdate();
        }
        return token;
    }

    public static Optional<Principal> authenticate(Connection c, String token) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT role, terminal_id FROM credential WHERE token_hash = ?")) {
            s.setBytes(1, hash(token));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Principal("admin".equals(r.getString(1)), r.getString(2)));
            }
        }
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
