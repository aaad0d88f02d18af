package nfcpay.host;

import static nfcpay.host.HttpClientForTests.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nfcpay.host.HttpClientForTests.Answer;
import nfcpay.host.keys.SoftwareKeyService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host killed mid-upload, the database restarted mid-run, a terminal killed between CREDIT and confirm. */
class HostFaultTest {

    private static final String DATE = "20261206";

    @TempDir
    static Path dir;
    static TestPostgres pg;
    static String dbUrl;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestPostgres(dir.resolve("pg"));
        dbUrl = pg.newDatabase();
    }

    @AfterAll
    static void stop() throws IOException {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aHostKilledMidUploadLosesNothingAndTheRetryClearsOnce() throws Exception {
        String terminal = TestPurse.randomTerminalId();
        String token = Host.issueToken(dir.resolve("tok"), Optional.of(dbUrl), terminal);
        List<Map<String, Object>> batches = batches(terminal, 5, 1_000);
        Process child = startChild(dir.resolve("child1"));
        try {
            String url = childUrl(child);
            // Upload in the background and kill the host with SIGKILL while batches are in flight.
            java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<Integer> uploads = CompletableFuture.supplyAsync(() -> {
                for (Map<String, Object> b : batches) {
                    try {
                        if (call(url, "POST", "/v1/clearing", token, b).status() == 200) {
                            ok.incrementAndGet();
                        }
                    } catch (IOException e) {
                        break;
                    }
                }
                return ok.get();
            });
            // Killed after the first batch is answered, while the next one is in flight.
            for (int i = 0; i < 600 && ok.get() == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(ok.get()).as("the first batch was answered within 60 s").isPositive();
            Thread.sleep(30);
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            int answered = uploads.get(120, TimeUnit.SECONDS);
            assertThat(answered).as("the kill came before the last batch was answered").isLessThan(batches.size());
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // The terminal retries everything it has no answer for, and more, on a new host instance.
        Process again = startChild(dir.resolve("child2"));
        try {
            String url = childUrl(again);
            long cleared = 0;
            for (Map<String, Object> b : batches) {
                Answer a = call(url, "POST", "/v1/clearing", token, b);
                assertThat(a.status()).isEqualTo(200);
                for (JsonNode r : a.body().get("results")) {
                    assertThat(r.get("status").asText()).isIn("cleared", "duplicate");
                    cleared += r.get("status").asText().equals("cleared") ? 1 : 0;
                }
            }
            assertThat(count("SELECT count(*) FROM purchase WHERE terminal_id = '" + terminal + "'")).isEqualTo(5_000);
            assertThat(cleared).as("the first instance committed some before it died").isLessThanOrEqualTo(4_000);
        } finally {
            again.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertBalanced();
    }

    @Test
    void aDatabaseRestartedMidRunIsRetriedAndClearsOnce() throws Exception {
        try (Host host = Host.start(dir.resolve("restart"), 0, Optional.of(dbUrl), SoftwareKeyService.withTestKeys())) {
            String terminal = TestPurse.randomTerminalId();
            String token = Host.issueToken(dir.resolve("tok2"), Optional.of(dbUrl), terminal);
            List<Map<String, Object>> batches = batches(terminal, 10, 200);
            int unavailable = 0;
            for (int i = 0; i < batches.size(); i++) {
                if (i == 4) {
                    pg.stop();
                    Answer down = call(host.url(), "POST", "/v1/clearing", token, batches.get(i));
                    assertThat(down.status()).isEqualTo(503);
                    assertThat(down.error()).isEqualTo("unavailable");
                    unavailable++;
                    pg.restart();
                }
                Answer a = retry(host.url(), token, batches.get(i));
                assertThat(a.status()).isEqualTo(200);
                // And every batch once more after the restart: all duplicates.
                if (i == 5) {
                    for (int j = 0; j <= 5; j++) {
                        Answer d = retry(host.url(), token, batches.get(j));
                        d.body().get("results").forEach(r -> assertThat(r.get("status").asText()).isEqualTo("duplicate"));
                    }
                }
            }
            assertThat(unavailable).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM purchase WHERE terminal_id = '" + terminal + "'")).isEqualTo(2_000);
            assertBalanced();
        }
    }

    @Test
    void aTerminalKilledBetweenCreditAndConfirmIsSettledByTheCardsCounter() throws Exception {
        try (Host host = Host.start(dir.resolve("torn"), 0, Optional.of(dbUrl), SoftwareKeyService.withTestKeys())) {
            String terminal = TestPurse.randomTerminalId();
            String token = Host.issueToken(dir.resolve("tok3"), Optional.of(dbUrl), terminal);
            TestPurse card = new TestPurse();
            // Credited on the card, then the terminal died: no confirm.
            Answer first = call(host.url(), "POST", "/v1/loads", token, card.initializeForLoad(terminal, 700, DATE, "080000"));
            assertThat(card.creditForLoad(first.body().get("mac2").asText(), DATE, "080000")).isNotNull();
            // Died before CREDIT: the card never credited.
            Answer second = call(host.url(), "POST", "/v1/loads", token, card.initializeForLoad(terminal, 300, DATE, "080100"));
            assertThat(second.status()).isEqualTo(200);
            // The next load settles both by what the card says; then it completes normally.
            Answer third = call(host.url(), "POST", "/v1/loads", token, card.initializeForLoad(terminal, 100, DATE, "080200"));
            String tac = card.creditForLoad(third.body().get("mac2").asText(), DATE, "080200");
            assertThat(call(host.url(), "POST", "/v1/loads/" + third.body().get("load_id").asText() + "/confirm", token,
                    Map.of("tac", tac)).status()).isEqualTo(200);
            // A late confirm of the first (its terminal restarted with the TAC from GET TRANSACTION PROVE): posted, once.
            JsonNode view = call(host.url(), "GET", "/v1/loads/" + first.body().get("load_id").asText(), token, null).body();
            assertThat(view.get("status").asText()).isEqualTo("posted");
            long floatNow = balance("float:" + card.serial);
            assertThat(floatNow).isEqualTo(card.balance).isEqualTo(800);
            assertBalanced();
        }
    }

    private static Answer retry(String url, String token, Map<String, Object> body) throws Exception {
        for (int i = 0; i < 100; i++) {
            try {
                Answer a = call(url, "POST", "/v1/clearing", token, body);
                if (a.status() != 503) {
                    return a;
                }
            } catch (IOException e) {
                // the host is reachable; the database is what restarts: retry
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the host did not recover within 20 s");
    }

    private static List<Map<String, Object>> batches(String terminal, int count, int size) {
        List<Map<String, Object>> out = new ArrayList<>();
        long serial = 0;
        for (int b = 0; b < count; b++) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                TestPurse card = new TestPurse(1_000_000);
                records.add(card.purchase(terminal, serial++, 10, DATE, "120000"));
            }
            out.add(Map.of("terminal_id", terminal, "records", records));
        }
        return out;
    }

    private static Process startChild(Path dataDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildHost.class.getName(),
                dataDir.toString(), dbUrl).redirectErrorStream(true).start();
    }

    private static String childUrl(Process child) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.startsWith("listening on ")) {
                        return l.substring("listening on ".length());
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String url = line.get(60, TimeUnit.SECONDS);
        assertThat(url).as("the child host started").isNotNull();
        return url;
    }

    private static void assertBalanced() throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl)) {
            assertThat(scalar(c, "SELECT coalesce(sum(amount), 0) FROM ledger_line")).isZero();
            assertThat(scalar(c, """
                    SELECT count(*) FROM (
                      SELECT l.account, sum(l.amount) AS f FROM ledger_line l WHERE l.account LIKE 'float:%' GROUP BY 1) x
                    FULL JOIN (
                      SELECT 'float:' || card_serial AS account, sum(a) AS e FROM (
                        SELECT card_serial, amount AS a FROM card_load WHERE state = 'posted'
                        UNION ALL SELECT card_serial, -amount FROM purchase) y GROUP BY 1) z USING (account)
                    WHERE coalesce(f, 0) <> coalesce(e, 0)""")).isZero();
        }
    }

    private static long balance(String account) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl)) {
            return scalar(c, "SELECT coalesce(sum(amount), 0) FROM ledger_line WHERE account = '" + account + "'");
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl)) {
            return scalar(c, sql);
        }
    }

    private static long scalar(Connection c, String sql) throws Exception {
        try (ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
