package nfcpay.host;

import static nfcpay.host.HttpClientForTests.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nfcpay.host.HttpClientForTests.Answer;
import nfcpay.host.db.HostStartException;
import nfcpay.host.keys.SoftwareKeyService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every status and error of PROTOCOL.md 5 against a host over a real embedded PostgreSQL. */
class HostApiTest {

    private static final String DATE = "20261206";

    @TempDir
    static Path dir;
    static TestPostgres pg;
    static Host host;
    static String url;
    static String dbUrl;
    static String termA;
    static String termB;
    static String tokenA;
    static String tokenB;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestPostgres(dir.resolve("pg"));
        dbUrl = pg.newDatabase();
        host = Host.start(dir.resolve("host"), 0, Optional.of(dbUrl), SoftwareKeyService.withTestKeys());
        url = host.url();
        termA = TestPurse.randomTerminalId();
        termB = TestPurse.randomTerminalId();
        tokenA = Host.issueToken(dir.resolve("host"), Optional.of(dbUrl), termA);
        tokenB = Host.issueToken(dir.resolve("host"), Optional.of(dbUrl), termB);
        admin = Host.issueToken(dir.resolve("host"), Optional.of(dbUrl), null);
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

    /** The ledger invariants after every test: sums to zero, postings balance, floats = loads - purchases. */
    @AfterEach
    void ledgerStillBalances() throws IOException {
        Answer check = call(url, "GET", "/v1/admin/ledger/check", admin, null);
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.body().get("total").asLong()).isZero();
        assertThat(check.body().get("unbalanced_postings")).isEmpty();
        assertThat(check.body().get("card_mismatches")).isEmpty();
        assertThat(check.body().get("balanced").asBoolean()).isTrue();
    }

    // ---- 5.1 credentials ----

    @Test
    void everyEndpointRefusesAMissingOrUnknownToken() throws IOException {
        String serial = new TestPurse().serial;
        String[][] endpoints = {
            {"POST", "/v1/clearing"}, {"POST", "/v1/loads"}, {"POST", "/v1/loads/1/confirm"}, {"GET", "/v1/loads/1"},
            {"GET", "/v1/hotlist"}, {"PUT", "/v1/hotlist/" + serial}, {"DELETE", "/v1/hotlist/" + serial},
            {"GET", "/v1/admin/ledger/check"}, {"GET", "/v1/admin/settlement"}, {"GET", "/v1/admin/cards/" + serial}};
        for (String[] e : endpoints) {
            for (String token : new String[] {null, "not-a-token", tokenA + "x"}) {
                Answer a = call(url, e[0], e[1], token, e[0].equals("GET") || e[0].equals("DELETE") ? null : "{}");
                assertThat(a.status()).as(e[0] + " " + e[1] + " with " + token).isEqualTo(401);
                assertThat(a.error()).isEqualTo("unauthorized");
                assertThat(a.body().get("message").asText()).isNotBlank();
            }
        }
        assertThat(hotlistVersionAndCards().get("cards").toString()).doesNotContain(serial);
    }

    @Test
    void terminalTokensAreForbiddenOnAdminEndpointsAndOtherTerminals() throws IOException {
        TestPurse p = new TestPurse(1_000_000);
        String serial = p.serial;
        for (String[] e : new String[][] {{"PUT", "/v1/hotlist/" + serial}, {"DELETE", "/v1/hotlist/" + serial},
                {"GET", "/v1/admin/ledger/check"}, {"GET", "/v1/admin/settlement"}, {"GET", "/v1/admin/cards/" + serial}}) {
            Answer a = call(url, e[0], e[1], tokenA, null);
            assertThat(a.status()).as(e[0] + " " + e[1]).isEqualTo(403);
            assertThat(a.error()).isEqualTo("forbidden");
        }
        // Another terminal's token, and the admin token, on a terminal's clearing and load.
        Map<String, Object> upload = upload(termA, List.of(p.purchase(termA, 1, 100, DATE, "100000")));
        for (String token : new String[] {tokenB, admin}) {
            assertThat(call(url, "POST", "/v1/clearing", token, upload).status()).isEqualTo(403);
            assertThat(call(url, "POST", "/v1/loads", token, p.initializeForLoad(termA, 100, DATE, "100000")).error())
                    .isEqualTo("forbidden");
        }
        assertThat(card(serial).get("purchases")).isEmpty();
        assertThat(card(serial).get("loads")).isEmpty();
        // Another terminal's token on A's load confirm and status.
        Answer load = call(url, "POST", "/v1/loads", tokenA, p.initializeForLoad(termA, 500, DATE, "100001"));
        String id = load.body().get("load_id").asText();
        String tac = p.creditForLoad(load.body().get("mac2").asText(), DATE, "100001");
        Answer foreign = call(url, "POST", "/v1/loads/" + id + "/confirm", tokenB, Map.of("tac", tac));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(call(url, "GET", "/v1/loads/" + id, tokenB, null).status()).isEqualTo(403);
        assertThat(call(url, "GET", "/v1/loads/" + id, tokenA, null).body().get("status").asText()).isEqualTo("pending");
        assertThat(call(url, "POST", "/v1/loads/" + id + "/confirm", tokenA, Map.of("tac", tac)).status()).isEqualTo(200);
        assertThat(call(url, "GET", "/v1/hotlist", admin, null).status()).as("the admin may read the hot list").isEqualTo(200);
    }

    @Test
    void onlyTheTokensHashIsStored() throws Exception {
        String token = Host.issueToken(dir.resolve("host"), Optional.of(dbUrl), TestPurse.randomTerminalId());
        try (var c = java.sql.DriverManager.getConnection(dbUrl);
             var r = c.createStatement().executeQuery("SELECT token_hash FROM credential")) {
            while (r.next()) {
                byte[] stored = r.getBytes(1);
                assertThat(stored).hasSize(32);
                assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);
            }
        }
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
    }

    // ---- 5.2 clearing ----

    @Test
    void clearsOnceAndAnswersDuplicateForAnyRepeat() throws IOException {
        TestPurse p = new TestPurse(1_000_000);
        List<Object> records = List.of(p.purchase(termA, 7, 1234, DATE, "093000"), p.purchase(termA, 8, 66, DATE, "093100"));
        Answer first = call(url, "POST", "/v1/clearing", tokenA, upload(termA, records));
        assertThat(first.status()).isEqualTo(200);
        assertThat(statuses(first)).containsExactly("cleared", "cleared");
        Answer again = call(url, "POST", "/v1/clearing", tokenA, upload(termA, records));
        assertThat(statuses(again)).containsExactly("duplicate", "duplicate");
        // The same record twice in one upload: once cleared, once duplicate.
        Map<String, Object> r3 = p.purchase(termA, 9, 10, DATE, "093200");
        assertThat(statuses(call(url, "POST", "/v1/clearing", tokenA, upload(termA, List.of(r3, r3)))))
                .containsExactly("cleared", "duplicate");
        JsonNode view = card(p.serial);
        assertThat(view.get("cleared_purchases").asLong()).isEqualTo(1234 + 66 + 10);
        assertThat(view.get("float").asLong()).isEqualTo(-(1234 + 66 + 10));
        JsonNode settle = call(url, "GET", "/v1/admin/settlement?terminal_id=" + termA.toLowerCase() + "&date=" + DATE,
                admin, null).body().get("days");
        assertThat(settle).hasSize(1);
        assertThat(settle.get(0).get("purchases").asLong()).isEqualTo(3);
        assertThat(settle.get(0).get("purchase_amount").asLong()).isEqualTo(1310);
    }

    @Test
    void rejectsABadTacAndMalformedRecordsAndClearsTheRest() throws IOException {
        TestPurse p = new TestPurse(1_000_000);
        Map<String, Object> good = p.purchase(termA, 20, 500, DATE, "120000");
        Map<String, Object> forged = p.purchase(termA, 21, 700, DATE, "120100");
        forged.put("amount", 7000); // the TAC was for 700
        Map<String, Object> missing = p.purchase(termA, 22, 1, DATE, "120200");
        missing.remove("tac");
        Map<String, Object> badDate = p.purchase(termA, 23, 1, "20261340", "120300");
        Map<String, Object> tooLarge = p.purchase(termA, 24, 1, DATE, "120400");
        tooLarge.put("amount", 1L << 32);
        Map<String, Object> stringAmount = p.purchase(termA, 25, 1, DATE, "120500");
        stringAmount.put("amount", "1");
        Answer a = call(url, "POST", "/v1/clearing", tokenA,
                upload(termA, List.of(good, forged, missing, badDate, tooLarge, stringAmount)));
        assertThat(a.status()).isEqualTo(200);
        JsonNode results = a.body().get("results");
        assertThat(statuses(a)).containsExactly("cleared", "rejected", "rejected", "rejected", "rejected", "rejected");
        assertThat(results.get(1).get("reason").asText()).isEqualTo("bad_tac");
        for (int i = 2; i < 6; i++) {
            assertThat(results.get(i).get("reason").asText()).isEqualTo("malformed");
        }
        // The same purchase under another terminal's ID does not verify: the TAC covers the terminal.
        Map<String, Object> moved = new LinkedHashMap<>(good);
        assertThat(statuses(call(url, "POST", "/v1/clearing", tokenB, upload(termB, List.of(moved)))))
                .containsExactly("rejected");
        assertThat(card(p.serial).get("cleared_purchases").asLong()).isEqualTo(500);
    }

    @Test
    void aMalformedUploadIs400AndChangesNothing() throws IOException {
        TestPurse p = new TestPurse(1_000_000);
        Map<String, Object> rec = p.purchase(termA, 30, 5, DATE, "130000");
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            tooMany.add(rec);
        }
        Object[] bodies = {"not json", "[]", "{}", Map.of("terminal_id", termA), Map.of("terminal_id", termA, "records", "x"),
            Map.of("terminal_id", "12", "records", List.of(rec)), upload(termA, tooMany)};
        for (Object body : bodies) {
            Answer a = call(url, "POST", "/v1/clearing", tokenA, body);
            assertThat(a.status()).as(String.valueOf(body).substring(0, Math.min(60, String.valueOf(body).length())))
                    .isEqualTo(400);
            assertThat(a.error()).isEqualTo("malformed");
        }
        assertThat(card(p.serial).get("purchases")).isEmpty();
        // Exactly 10,000 is allowed.
        List<Object> max = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            max.add(p.purchase(termA, 1000 + i, 1, DATE, "140000"));
        }
        Answer ok = call(url, "POST", "/v1/clearing", tokenA, upload(termA, max));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().get("results")).hasSize(10_000);
    }

    @Test
    void flagsRepeatedAndSkippedOfflineCountersWithoutDecidingByThem() throws IOException {
        TestPurse p = new TestPurse(1_000_000);
        Map<String, Object> a = p.purchase(termA, 40, 10, DATE, "150000");   // counter 0
        p.offlineCounter = 0;
        Map<String, Object> b = p.purchase(termA, 41, 11, DATE, "150100");   // counter 0 again: repeated
        p.offlineCounter = 4;
        Map<String, Object> c = p.purchase(termA, 42, 12, DATE, "150200");   // counters 1..3 skipped
        assertThat(statuses(call(url, "POST", "/v1/clearing", tokenA, upload(termA, List.of(a, b, c)))))
                .containsExactly("cleared", "cleared", "cleared");
        JsonNode flags = card(p.serial).get("flagged_counters");
        assertThat(flags.toString()).contains("\"offline_counter\":0", "\"repeated\"", "\"offline_counter\":1", "\"skipped\"");
    }

    // ---- 5.3 loads ----

    @Test
    void aLoadIsPendingUntilItsTacPostsItOnce() throws IOException {
        TestPurse p = new TestPurse();
        Answer auth = call(url, "POST", "/v1/loads", tokenA, p.initializeForLoad(termA, 10_000, DATE, "093000"));
        assertThat(auth.status()).isEqualTo(200);
        assertThat(auth.body().get("mac2").asText()).matches("[0-9A-F]{8}");
        String id = auth.body().get("load_id").asText();
        assertThat(card(p.serial).get("float").asLong()).as("pending moves nothing").isZero();
        String tac = p.creditForLoad(auth.body().get("mac2").asText(), DATE, "093000");
        assertThat(tac).as("the card accepts the host's MAC2").isNotNull();
        String wrongTac = tac.startsWith("0") ? "1" + tac.substring(1) : "0" + tac.substring(1);
        Answer bad = call(url, "POST", "/v1/loads/" + id + "/confirm", tokenA, Map.of("tac", wrongTac));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.error()).isEqualTo("bad_tac");
        assertThat(card(p.serial).get("float").asLong()).isZero();
        for (int i = 0; i < 2; i++) {
            Answer ok = call(url, "POST", "/v1/loads/" + id + "/confirm", tokenA, Map.of("tac", tac.toLowerCase()));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body().get("status").asText()).isEqualTo("posted");
        }
        assertThat(card(p.serial).get("float").asLong()).isEqualTo(10_000);
        assertThat(card(p.serial).get("posted_loads").asLong()).isEqualTo(10_000);
        assertThat(call(url, "POST", "/v1/loads/" + id + "/confirm", tokenA, Map.of("tac", "12")).error()).isEqualTo("malformed");
        assertThat(call(url, "POST", "/v1/loads/999999999/confirm", tokenA, Map.of("tac", tac)).status()).isEqualTo(404);
        assertThat(call(url, "POST", "/v1/loads/abc/confirm", tokenA, Map.of("tac", tac)).error()).isEqualTo("not_found");
    }

    @Test
    void aBadMac1Is422AndRecordsNothing() throws IOException {
        TestPurse p = new TestPurse();
        Map<String, Object> body = p.initializeForLoad(termA, 100, DATE, "093000");
        body.put("old_balance", 1); // MAC1 covers the old balance
        Answer a = call(url, "POST", "/v1/loads", tokenA, body);
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.error()).isEqualTo("bad_mac1");
        assertThat(card(p.serial).get("loads")).isEmpty();
        Map<String, Object> malformed = p.initializeForLoad(termA, 100, DATE, "093000");
        malformed.remove("random");
        assertThat(call(url, "POST", "/v1/loads", tokenA, malformed).status()).isEqualTo(400);
        assertThat(call(url, "POST", "/v1/loads", tokenA, "nope").error()).isEqualTo("malformed");
    }

    @Test
    void theNextAuthorizationSettlesAPendingLoadByTheCardsCounter() throws IOException {
        TestPurse p = new TestPurse();
        // Torn after CREDIT: the card credited, the terminal never confirmed.
        Answer a1 = call(url, "POST", "/v1/loads", tokenA, p.initializeForLoad(termA, 300, DATE, "100000"));
        assertThat(p.creditForLoad(a1.body().get("mac2").asText(), DATE, "100000")).isNotNull();
        // Torn before CREDIT: the card never saw MAC2.
        Answer a2 = call(url, "POST", "/v1/loads", tokenA, p.initializeForLoad(termA, 200, DATE, "100100"));
        assertThat(a2.status()).isEqualTo(200);
        assertThat(status(a1)).isEqualTo("posted");
        // A replay of the same request is the same load (a retry after a lost answer).
        Map<String, Object> third = p.initializeForLoad(termA, 50, DATE, "100200");
        Answer a3 = call(url, "POST", "/v1/loads", tokenA, third);
        assertThat(status(a2)).isEqualTo("voided");
        Answer replay = call(url, "POST", "/v1/loads", tokenA, third);
        assertThat(replay.body().get("load_id")).isEqualTo(a3.body().get("load_id"));
        assertThat(replay.body().get("mac2")).isEqualTo(a3.body().get("mac2"));
        // A card reporting neither c nor c + 1 for its pending load: 409, nothing changes.
        Map<String, Object> skewed = p.initializeForLoad(termA, 50, DATE, "100300");
        p.onlineCounter += 5;
        Map<String, Object> far = p.initializeForLoad(termA, 50, DATE, "100300");
        p.onlineCounter -= 5;
        Answer mismatch = call(url, "POST", "/v1/loads", tokenA, far);
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.error()).isEqualTo("counter_mismatch");
        assertThat(status(a3)).isEqualTo("pending");
        assertThat(skewed).isNotNull();
        // The confirm of a voided load is refused; of a counter-posted one answers posted.
        Answer voidedConfirm = call(url, "POST", "/v1/loads/" + a2.body().get("load_id").asText() + "/confirm", tokenA,
                Map.of("tac", "00000000"));
        assertThat(voidedConfirm.status()).isEqualTo(422);
        assertThat(card(p.serial).get("float").asLong()).isEqualTo(300).isEqualTo(p.balance);
        JsonNode loads = card(p.serial).get("loads");
        assertThat(loads).hasSize(3);
        // An old counter with nothing pending (a replayed INITIALIZE answer): 409.
        TestPurse q = new TestPurse();
        Map<String, Object> old = q.initializeForLoad(termA, 10, DATE, "110000");
        Answer qa = call(url, "POST", "/v1/loads", tokenA, old);
        String qtac = q.creditForLoad(qa.body().get("mac2").asText(), DATE, "110000");
        call(url, "POST", "/v1/loads/" + qa.body().get("load_id").asText() + "/confirm", tokenA, Map.of("tac", qtac));
        assertThat(call(url, "POST", "/v1/loads", tokenA, old).error()).isEqualTo("counter_mismatch");
    }

    @Test
    void aHotlistedCardIsRefusedItsLoads() throws IOException {
        TestPurse p = new TestPurse();
        JsonNode before = hotlistVersionAndCards();
        Answer put = call(url, "PUT", "/v1/hotlist/" + p.serial.toLowerCase(), admin, null);
        assertThat(put.status()).isEqualTo(200);
        JsonNode after = hotlistVersionAndCards();
        assertThat(after.get("version").asLong()).isEqualTo(before.get("version").asLong() + 1);
        assertThat(after.get("cards").toString()).contains(p.serial);
        assertThat(call(url, "PUT", "/v1/hotlist/" + p.serial, admin, null).body().get("version").asLong())
                .as("no change, same version").isEqualTo(after.get("version").asLong());
        Answer load = call(url, "POST", "/v1/loads", tokenA, p.initializeForLoad(termA, 100, DATE, "090000"));
        assertThat(load.status()).isEqualTo(403);
        assertThat(load.error()).isEqualTo("hotlisted");
        assertThat(card(p.serial).get("hotlisted").asBoolean()).isTrue();
        assertThat(call(url, "DELETE", "/v1/hotlist/" + p.serial, admin, null).status()).isEqualTo(200);
        JsonNode removed = hotlistVersionAndCards();
        assertThat(removed.get("version").asLong()).isEqualTo(after.get("version").asLong() + 1);
        assertThat(removed.get("cards").toString()).doesNotContain(p.serial);
        assertThat(call(url, "POST", "/v1/loads", tokenA, p.initializeForLoad(termA, 100, DATE, "090100")).status())
                .isEqualTo(200);
        assertThat(call(url, "PUT", "/v1/hotlist/XYZ", admin, null).error()).isEqualTo("malformed");
    }

    @Test
    void unknownEndpointsAnswerJson404() throws IOException {
        Answer a = call(url, "GET", "/v1/nothing", tokenA, null);
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.error()).isEqualTo("not_found");
    }

    // ---- starting ----

    @Test
    void startingFailsWithOneLineForAPortInUseADataDirInUseAndADatabaseDown() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> Host.start(dir.resolve("h2"), taken.getLocalPort(), Optional.of(dbUrl),
                    SoftwareKeyService.withTestKeys()))
                    .isInstanceOf(HostStartException.class).hasMessageContaining("already in use").hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> Host.start(dir.resolve("host"), 0, Optional.of(dbUrl), SoftwareKeyService.withTestKeys()))
                .isInstanceOf(HostStartException.class).hasMessageContaining("in use by another host");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Host.start(dir.resolve("h3"), 0, Optional.of("jdbc:postgresql://127.0.0.1:" + closed + "/x"),
                SoftwareKeyService.withTestKeys()))
                .isInstanceOf(HostStartException.class).hasMessageContaining("cannot connect to the database")
                .hasMessageNotContaining("\n");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("fails within the connection timeout").isLessThan(30_000);
        assertThat(Files.exists(dir.resolve("h3").resolve("db.url"))).isFalse();
        // The data directory a failed start used is free again.
        Host ok = Host.start(dir.resolve("h3"), 0, Optional.of(dbUrl), SoftwareKeyService.withTestKeys());
        ok.close();
    }

    // ---- helpers ----

    private static Map<String, Object> upload(String terminalId, List<?> records) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("terminal_id", terminalId);
        m.put("records", records);
        return m;
    }

    private static List<String> statuses(Answer a) {
        List<String> out = new ArrayList<>();
        a.body().get("results").forEach(r -> out.add(r.get("status").asText()));
        return out;
    }

    private static JsonNode card(String serial) throws IOException {
        Answer a = call(url, "GET", "/v1/admin/cards/" + serial, admin, null);
        assertThat(a.status()).isEqualTo(200);
        return a.body();
    }

    private static String status(Answer authorization) throws IOException {
        return call(url, "GET", "/v1/loads/" + authorization.body().get("load_id").asText(), tokenA, null)
                .body().get("status").asText();
    }

    private static JsonNode hotlistVersionAndCards() throws IOException {
        Answer a = call(url, "GET", "/v1/hotlist", tokenA, null);
        assertThat(a.status()).isEqualTo(200);
        return a.body();
    }
}
