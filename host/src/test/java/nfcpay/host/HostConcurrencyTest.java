package nfcpay.host;

import static nfcpay.host.HttpClientForTests.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nfcpay.host.HttpClientForTests.Answer;
import nfcpay.host.keys.SoftwareKeyService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two host instances over one database; several terminals' uploaders each send every batch twice, the
 * two copies to different instances and interleaved with the other uploaders: every purchase is cleared
 * exactly once and the ledger balances. 10,000 purchases by default; the 100,000 run is tagged "large"
 * (run it with -Dnfcpay.host.large=true).
 */
class HostConcurrencyTest {

    @TempDir
    static Path dir;
    static TestPostgres pg;
    static String dbUrl;
    static Host one;
    static Host two;

    @BeforeAll
    static void start() throws Exception {
        pg = new TestPostgres(dir.resolve("pg"));
        dbUrl = pg.newDatabase();
        one = Host.start(dir.resolve("one"), 0, Optional.of(dbUrl), SoftwareKeyService.withTestKeys());
        two = Host.start(dir.resolve("two"), 0, Optional.of(dbUrl), SoftwareKeyService.withTestKeys());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (one != null) {
                one.close();
            }
            if (two != null) {
                two.close();
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void everyPurchaseClearedExactlyOnceAcrossTwoInstancesAndRepeatedUploads() throws Exception {
        run(Boolean.getBoolean("nfcpay.host.large") ? 100_000 : 10_000);
    }

    @Test
    @Tag("large")
    void hundredThousandPurchases() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("nfcpay.host.large"),
                "the 100,000-purchase run: -Dnfcpay.host.large=true");
        run(100_000);
    }

    private void run(int purchases) throws Exception {
        int uploaders = 4;
        int batch = 500;
        List<TestPurse> cards = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            cards.add(new TestPurse(1L << 31));
        }
        String[] terminals = new String[uploaders];
        String[] tokens = new String[uploaders];
        for (int u = 0; u < uploaders; u++) {
            terminals[u] = TestPurse.randomTerminalId();
            tokens[u] = Host.issueToken(dir.resolve("tokens"), Optional.of(dbUrl), terminals[u]);
        }
        long before = count("SELECT count(*) FROM purchase");
        AtomicLong cleared = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        long expectedAmount = 0;
        List<List<Map<String, Object>>> perUploader = new ArrayList<>();
        Random rnd = new Random(13);
        for (int u = 0; u < uploaders; u++) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < purchases / uploaders; i++) {
                TestPurse card = cards.get(rnd.nextInt(cards.size()));
                long amount = 1 + rnd.nextInt(500);
                expectedAmount += amount;
                synchronized (card) {
                    records.add(card.purchase(terminals[u], i, amount, "20261206",
                            String.format("%02d%02d%02d", (i / 3600) % 24, (i / 60) % 60, i % 60)));
                }
            }
            perUploader.add(records);
        }
        ExecutorService pool = Executors.newFixedThreadPool(uploaders);
        List<Future<?>> futures = new ArrayList<>();
        for (int u = 0; u < uploaders; u++) {
            int uu = u;
            futures.add(pool.submit(() -> {
                List<Map<String, Object>> records = perUploader.get(uu);
                List<Runnable> sends = new ArrayList<>();
                for (int from = 0; from < records.size(); from += batch) {
                    Map<String, Object> body = Map.of("terminal_id", terminals[uu],
                            "records", records.subList(from, Math.min(records.size(), from + batch)));
                    sends.add(() -> send(one, tokens[uu], body, cleared, duplicates));
                    sends.add(() -> send(two, tokens[uu], body, cleared, duplicates));
                }
                // Each batch twice, through both instances, in a shuffled order per uploader.
                Collections.shuffle(sends, new Random(uu));
                sends.forEach(Runnable::run);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(600, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(cleared.get()).isEqualTo(purchases);
        assertThat(duplicates.get()).isEqualTo(purchases);
        assertThat(count("SELECT count(*) FROM purchase") - before).isEqualTo(purchases);
        long merchantTotal = 0;
        for (String t : terminals) {
            merchantTotal += count("SELECT coalesce(sum(amount), 0) FROM ledger_line WHERE account = 'merchant:" + t + "'");
        }
        assertThat(merchantTotal).isEqualTo(expectedAmount);
        Map<String, Object> check = one.ledgerCheck();
        assertThat(check.get("balanced")).as(check.toString()).isEqualTo(true);
    }

    private static void send(Host host, String token, Map<String, Object> body, AtomicLong cleared, AtomicLong duplicates) {
        try {
            Answer a = call(host.url(), "POST", "/v1/clearing", token, body);
            assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
            a.body().get("results").forEach(r -> {
                String s = r.get("status").asText();
                if (s.equals("cleared")) {
                    cleared.incrementAndGet();
                } else if (s.equals("duplicate")) {
                    duplicates.incrementAndGet();
                } else {
                    throw new AssertionError("unexpected " + r);
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
