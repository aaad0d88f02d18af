package nfcpay.host;

import static nfcpay.host.HttpClientForTests.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.host.HttpClientForTests.Answer;
import nfcpay.host.keys.SoftwareKeyService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/admin/scripts} (docs/host.md "Issuer scripts") over a real embedded PostgreSQL, on loopback. */
class IssuerScriptApiTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String CHALLENGE = "1A2B3C4D";

    @TempDir
    static Path dir;
    static TestPostgres pg;
    static Host host;
    static String admin;
    static String terminal;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestPostgres(dir.resolve("pg"));
        String db = pg.newDatabase();
        host = Host.start(dir.resolve("host"), 0, Optional.of(db), SoftwareKeyService.withTestKeys());
        admin = Host.issueToken(dir.resolve("host"), Optional.of(db), null);
        terminal = Host.issueToken(dir.resolve("host"), Optional.of(db), TestPurse.randomTerminalId());
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    private static Map<String, Object> request(String serial, String challenge, String action) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("card_serial", serial);
        m.put("challenge", challenge);
        m.put("action", action);
        return m;
    }

    /** The APDU the card checks (docs/protocol.md 3.6), computed here from the test MAMK independently of the host. */
    private static String expectedApdu(String serial, String challenge, String header) {
        byte[] damk = IssuerMasterKeys.TEST.maintenanceKey(HEX.parseHex(serial));
        return header + HEX.formatHex(PbocCrypto.issuerScriptMac(damk, HEX.parseHex(challenge), HEX.parseHex(header)));
    }

    private static long scripts(String serial) throws SQLException {
        try (Connection c = host.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM issuer_script WHERE card_serial = ?")) {
            s.setString(1, serial);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Test
    void eachActionIsTheCommandWithItsMacAndIsAudited() throws Exception {
        String serial = new TestPurse().serial;
        String[][] cases = {{"block", "841E000004"}, {"block_permanent", "841E000104"}, {"unblock", "8418000004"}};
        for (String[] c : cases) {
            Answer a = call(host.url(), "POST", "/v1/admin/scripts", admin, request(serial.toLowerCase(), CHALLENGE, c[0]));
            assertThat(a.status()).as(c[0]).isEqualTo(200);
            assertThat(a.body().get("apdu").asText()).as(c[0]).isEqualTo(expectedApdu(serial, CHALLENGE, c[1]));
            assertThat(a.body().get("action").asText()).isEqualTo(c[0]);
            assertThat(a.body().get("script_id").asLong()).isPositive();
        }
        assertThat(scripts(serial)).isEqualTo(3);
        try (Connection c = host.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT action, challenge, apdu, hotlisted, issued_by FROM issuer_script"
                     + " WHERE card_serial = ? ORDER BY id")) {
            s.setString(1, serial);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("block");
                assertThat(r.getString(2)).isEqualTo(CHALLENGE);
                assertThat(r.getString(3)).isEqualTo(expectedApdu(serial, CHALLENGE, "841E000004"));
                assertThat(r.getBoolean(4)).isFalse();
                assertThat(r.getString(5)).isEqualTo("admin");
            }
        }
    }

    @Test
    void theMacDependsOnTheCardAndTheChallenge() throws IOException {
        String a = new TestPurse().serial;
        String b = new TestPurse().serial;
        String macA = call(host.url(), "POST", "/v1/admin/scripts", admin, request(a, CHALLENGE, "unblock")).body().get("apdu").asText();
        String macB = call(host.url(), "POST", "/v1/admin/scripts", admin, request(b, CHALLENGE, "unblock")).body().get("apdu").asText();
        String macA2 = call(host.url(), "POST", "/v1/admin/scripts", admin, request(a, "00000000", "unblock")).body().get("apdu").asText();
        assertThat(macA).isNotEqualTo(macB).isNotEqualTo(macA2);
    }

    @Test
    void aHotListedCardMayBeBlockedButNeverUnblocked() throws Exception {
        String serial = new TestPurse().serial;
        assertThat(call(host.url(), "PUT", "/v1/hotlist/" + serial, admin, null).status()).isEqualTo(200);
        Answer block = call(host.url(), "POST", "/v1/admin/scripts", admin, request(serial, CHALLENGE, "block"));
        assertThat(block.status()).isEqualTo(200);
        Answer unblock = call(host.url(), "POST", "/v1/admin/scripts", admin, request(serial, CHALLENGE, "unblock"));
        assertThat(unblock.status()).isEqualTo(403);
        assertThat(unblock.error()).isEqualTo("hotlisted");
        assertThat(unblock.body().get("message").asText()).doesNotContain(serial);
        assertThat(scripts(serial)).as("only the block was issued").isEqualTo(1);

        assertThat(call(host.url(), "DELETE", "/v1/hotlist/" + serial, admin, null).status()).isEqualTo(200);
        assertThat(call(host.url(), "POST", "/v1/admin/scripts", admin, request(serial, CHALLENGE, "unblock")).status())
                .as("off the list again").isEqualTo(200);
    }

    @Test
    void onlyTheAdminTokenGetsScripts() throws Exception {
        String serial = new TestPurse().serial;
        assertThat(call(host.url(), "POST", "/v1/admin/scripts", null, request(serial, CHALLENGE, "unblock")).status())
                .isEqualTo(401);
        assertThat(call(host.url(), "POST", "/v1/admin/scripts", "nope", request(serial, CHALLENGE, "unblock")).status())
                .isEqualTo(401);
        Answer t = call(host.url(), "POST", "/v1/admin/scripts", terminal, request(serial, CHALLENGE, "unblock"));
        assertThat(t.status()).isEqualTo(403);
        assertThat(t.error()).isEqualTo("forbidden");
        assertThat(scripts(serial)).isZero();
    }

    @Test
    void malformedRequestsAre400AndIssueNothing() throws Exception {
        String serial = new TestPurse().serial;
        Object[] bodies = {
            "not json", "[]", "{}",
            request(serial, CHALLENGE, "freeze"), request(serial, CHALLENGE, null), request(serial, "1A2B3C", "block"),
            request(serial, "1A2B3C4D5E", "block"), request(serial, "ZZ2B3C4D", "block"), request(serial.substring(2), CHALLENGE, "block"),
            request(null, CHALLENGE, "block"), Map.of("card_serial", serial, "challenge", 12345678, "action", "block"),
        };
        for (Object b : bodies) {
            Answer a = call(host.url(), "POST", "/v1/admin/scripts", admin, b);
            assertThat(a.status()).as(String.valueOf(b)).isEqualTo(400);
            assertThat(a.error()).isEqualTo("malformed");
            assertThat(a.body().get("message").asText()).doesNotContain("\n");
        }
        assertThat(scripts(serial)).isZero();
    }

    @Test
    void aHostWithoutAMaintenanceKeyFailsClosed() throws Exception {
        String db = pg.newDatabase();
        Path d = dir.resolve("host-without-mamk");
        SoftwareKeyService keys = new SoftwareKeyService(HEX.parseHex("00112233445566778899AABBCCDDEEFF"),
                HEX.parseHex("8899AABBCCDDEEFF0011223344556677"), true);
        try (Host h = Host.start(d, 0, Optional.of(db), keys)) {
            String token = Host.issueToken(d, Optional.of(db), null);
            Answer a = call(h.url(), "POST", "/v1/admin/scripts", token, request(new TestPurse().serial, CHALLENGE, "unblock"));
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.error()).isEqualTo("no_maintenance_key");
        }
    }
}
