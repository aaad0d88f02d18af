package nfcpay.host.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.host.Host;
import nfcpay.host.db.HostStartException;
import nfcpay.host.keys.SoftwareKeyService;

/**
 * {@code nfcpay bench host}: clearing throughput for several batch sizes and load-authorization latency,
 * on loopback against a host over its embedded PostgreSQL (durable settings: fsync and synchronous commit
 * on), each beside a plain INSERT of the same rows into the same PostgreSQL so the host's overhead is a
 * ratio. Purchases and loads are made with the test keys, as a card would make them.
 */
public final class HostBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DATE = "20261206";
    /**
     * Load authorizations sent before the timed ones and not counted: the JIT compiles the load path (JSON,
     * MAC1/MAC2, the statements) during the first few hundred; the figures are the steady state a running host has.
     */
    private static final int LOAD_WARMUP = 500;

    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int scale;

    /** {@code scale} 1 is the documented run; tests use a smaller one. */
    public HostBench(PrintStream out, int scale) {
        this.out = out;
        this.scale = scale;
    }

    public static void main(String[] args) throws Exception {
        new HostBench(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 1).run(Files.createTempDirectory("nfcpay-bench-host"));
    }

    /** Runs every measurement; returns the figures by name. */
    public Map<String, Double> run(Path dataDir) throws HostStartException, IOException, SQLException, InterruptedException {
        Map<String, Double> figures = new LinkedHashMap<>();
        out.println("nfcpay bench host (test keys): embedded PostgreSQL under " + dataDir + ", loopback HTTP, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        try (Host host = Host.start(dataDir, 0, Optional.empty(), SoftwareKeyService.withTestKeys())) {
            String terminal = "BE0000000001";
            String token = Host.issueToken(dataDir, Optional.empty(), terminal);
            try (Connection c = host.database().dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_plain (LIKE purchase INCLUDING DEFAULTS)");
                s.execute("CREATE TABLE IF NOT EXISTS bench_plain_load (LIKE card_load INCLUDING DEFAULTS)");
            }
            List<String> cards = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                byte[] serial = new byte[10];
                RANDOM.nextBytes(serial);
                cards.add(HEX.formatHex(serial));
            }
            // Warm-up: the JIT and the pool, not counted.
            clearing(host, token, terminal, cards, 1000, 5000 / scale, 1_000_000);
            out.printf("%-28s %12s %12s %12s %8s%n", "clearing, batch of", "purchases", "host /s", "INSERT /s", "ratio");
            long serial = 10_000_000;
            // batch size, purchases, uploaders at once (each side by side with as many plain INSERT connections)
            int[][] plan = {{1, 2_000, 1}, {100, 20_000, 1}, {1_000, 50_000, 1}, {10_000, 50_000, 1}, {1_000, 50_000, 2},
                {1_000, 50_000, 4}};
            for (int[] p : plan) {
                int batch = p[0];
                int total = Math.max(batch, p[1] / scale);
                int uploaders = p[2];
                double hostRate = clearing(host, token, terminal, cards, batch, total, serial, uploaders);
                double plainRate = plainInsert(host, terminal, cards, batch, total, serial + 500_000_000L, uploaders);
                serial += 1_000_000;
                String label = uploaders == 1 ? Integer.toString(batch) : batch + ", " + uploaders + " uploaders";
                out.printf("%-28s %12d %12.0f %12.0f %8.2f%n", label, total, hostRate, plainRate, plainRate / hostRate);
                String key = uploaders == 1 ? Integer.toString(batch) : batch + "x" + uploaders;
                figures.put("clearing_" + key + "_per_s", hostRate);
                figures.put("insert_" + key + "_per_s", plainRate);
            }
            int loads = Math.max(100, 2_000 / scale);
            double[] host99 = loads(host, token, terminal, loads);
            double[] plain99 = plainLoads(host, terminal, loads);
            out.printf("%-28s %12s %12s %12s %12s%n", "load authorization", "count", "per s", "p50 ms", "p99 ms");
            out.printf("%-28s %12d %12.0f %12.2f %12.2f%n", "host POST /v1/loads", loads, host99[0], host99[1], host99[2]);
            out.printf("%-28s %12d %12.0f %12.2f %12.2f%n", "plain INSERT (1 row, commit)", loads, plain99[0], plain99[1], plain99[2]);
            figures.put("loads_per_s", host99[0]);
            figures.put("load_p50_ms", host99[1]);
            figures.put("load_p99_ms", host99[2]);
            figures.put("insert_load_p99_ms", plain99[2]);
            Map<String, Object> check = host.ledgerCheck();
            out.println("ledger check: " + (Boolean.TRUE.equals(check.get("balanced")) ? "balanced" : "NOT BALANCED " + check));
        }
        return figures;
    }

    private double clearing(Host host, String token, String terminal, List<String> cards, int batch, int total, long serial0)
            throws IOException, InterruptedException {
        return clearing(host, token, terminal, cards, batch, total, serial0, 1);
    }

    /** {@code uploaders} threads, each sending its share of the batches one after another. */
    private double clearing(Host host, String token, String terminal, List<String> cards, int batch, int total, long serial0,
            int uploaders) throws IOException, InterruptedException {
        List<byte[]> bodies = new ArrayList<>();
        long serial = serial0;
        for (int done = 0; done < total; done += batch) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < batch && done + i < total; i++) {
                records.add(purchase(cards.get((int) (serial % cards.size())), terminal, serial++, 100));
            }
            bodies.add(JSON.writeValueAsBytes(Map.of("terminal_id", terminal, "records", records)));
        }
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger clearedCount = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ConcurrentLinkedQueue<Exception> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < uploaders; u++) {
            threads.add(started(() -> {
                for (int b = next.getAndIncrement(); b < bodies.size(); b = next.getAndIncrement()) {
                    try {
                        JsonNode r = post(host.url() + "/v1/clearing", token, bodies.get(b));
                        for (JsonNode x : r.get("results")) {
                            if ("cleared".equals(x.get("status").asText())) {
                                clearedCount.incrementAndGet();
                            }
                        }
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        failures.add(e);
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("an upload failed: " + failures.peek(), failures.peek());
        }
        int cleared = clearedCount.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (cleared != total) {
            throw new IllegalStateException("cleared " + cleared + " of " + total);
        }
        return total / seconds;
    }

    /** The same rows, one multi-row INSERT per batch and one commit per batch, straight into a plain table. */
    /** The same rows, one multi-row INSERT per batch and one commit per batch, straight into a plain table. */
    private double plainInsert(Host host, String terminal, List<String> cards, int batch, int total, long serial0,
            int connections) throws SQLException, InterruptedException {
        List<Map<String, Object>> all = new ArrayList<>();
        long serial = serial0;
        for (int i = 0; i < total; i++) {
            all.add(purchase(cards.get((int) (serial % cards.size())), terminal, serial++, 100));
        }
        List<List<Map<String, Object>>> shares = new ArrayList<>();
        for (int k = 0; k < connections; k++) {
            shares.add(all.subList(k * total / connections, (k + 1) * total / connections));
        }
        java.util.concurrent.ConcurrentLinkedQueue<SQLException> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (List<Map<String, Object>> rows : shares) {
            threads.add(started(() -> {
                try {
                    plainInsertRows(host, terminal, batch, rows);
                } catch (SQLException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.peek();
        }
        return total / ((System.nanoTime() - t0) / 1e9);
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r, "bench-uploader");
        t.start();
        return t;
    }

    private static void plainInsertRows(Host host, String terminal, int batch, List<Map<String, Object>> rows)
            throws SQLException {
        try (Connection c = host.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO bench_plain (card_serial, terminal_id, terminal_serial, tx_date, tx_time, amount, aid,
                      currency, offline_counter, balance_before, tac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int inBatch = 0;
                for (Map<String, Object> r : rows) {
                    s.setString(1, (String) r.get("card_serial"));
                    s.setString(2, terminal);
                    s.setLong(3, (Long) r.get("terminal_serial"));
                    s.setString(4, (String) r.get("date"));
                    s.setString(5, (String) r.get("time"));
                    s.setLong(6, (Long) r.get("amount"));
                    s.setString(7, (String) r.get("aid"));
                    s.setString(8, "CNY");
                    s.setInt(9, 0);
                    s.setLong(10, 1_000_000);
                    s.setString(11, (String) r.get("tac"));
                    s.addBatch();
                    if (++inBatch == batch) {
                        s.executeBatch();
                        c.commit();
                        inBatch = 0;
                    }
                }
                if (inBatch > 0) {
                    s.executeBatch();
                    c.commit();
                }
            }
        }
    }

    private double[] loads(Host host, String token, String terminal, int n) throws IOException, InterruptedException {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < n + LOAD_WARMUP; i++) {
            bodies.add(JSON.writeValueAsBytes(loadRequest(terminal)));
        }
        long[] nanos = new long[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n + LOAD_WARMUP; i++) {
            long s = System.nanoTime();
            post(host.url() + "/v1/loads", token, bodies.get(i));
            if (i >= LOAD_WARMUP) {
                nanos[i - LOAD_WARMUP] = System.nanoTime() - s;
            } else {
                t0 = System.nanoTime();
            }
        }
        return stats(nanos, System.nanoTime() - t0);
    }

    private double[] plainLoads(Host host, String terminal, int n) throws SQLException {
        long[] nanos = new long[n];
        long t0 = System.nanoTime();
        try (Connection c = host.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO bench_plain_load (id, card_serial, terminal_id, aid, amount, currency, old_balance,
                      online_counter, random, tx_date, tx_time, state, posting_id)
                    VALUES (?, ?, ?, 'F000000824010101', 1000, 'CNY', 0, 0, '00000000', ?, '120000', 'pending', 0)""")) {
                for (int i = 0; i < n; i++) {
                    long s0 = System.nanoTime();
                    s.setLong(1, i);
                    s.setString(2, HEX.formatHex(randomBytes(10)));
                    s.setString(3, terminal);
                    s.setString(4, DATE);
                    s.executeUpdate();
                    c.commit();
                    nanos[i] = System.nanoTime() - s0;
                }
            }
        }
        return stats(nanos, System.nanoTime() - t0);
    }

    private static double[] stats(long[] nanos, long elapsed) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2] / 1e6;
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        return new double[] {nanos.length / (elapsed / 1e9), p50, p99};
    }

    private JsonNode post(String url, String token, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("host answered " + r.statusCode() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return JSON.readTree(r.body());
    }

    private static Map<String, Object> purchase(String card, String terminal, long serial, long amount) {
        byte[] s = HexFormat.of().parseHex(card);
        long ts = serial & 0xFFFF_FFFFL;
        String time = String.format("%02d%02d%02d", (serial / 3600) % 24, (serial / 60) % 60, serial % 60);
        byte[] key = PbocCrypto.tacKey(IssuerMasterKeys.TEST.tacKey(s));
        byte[] tac = PbocCrypto.mac(key, be(amount, 4), new byte[] {6}, HexFormat.of().parseHex(terminal), be(ts, 4),
                HexFormat.of().parseHex(DATE), HexFormat.of().parseHex(time));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("card_serial", card);
        m.put("aid", "F000000824010101");
        m.put("amount", amount);
        m.put("currency", "CNY");
        m.put("offline_counter", 0);
        m.put("terminal_serial", ts);
        m.put("date", DATE);
        m.put("time", time);
        m.put("balance_before", 1_000_000L);
        m.put("tac", HEX.formatHex(tac));
        return m;
    }

    private static Map<String, Object> loadRequest(String terminal) {
        byte[] serial = randomBytes(10);
        byte[] random = randomBytes(4);
        long amount = 1000;
        byte[] session = PbocCrypto.loadSessionKey(IssuerMasterKeys.TEST.loadKey(serial), random, new byte[2]);
        byte[] mac1 = PbocCrypto.mac(session, be(0, 4), be(amount, 4), new byte[] {2}, HexFormat.of().parseHex(terminal));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("terminal_id", terminal);
        m.put("card_serial", HEX.formatHex(serial));
        m.put("aid", "F000000824010101");
        m.put("amount", amount);
        m.put("currency", "CNY");
        m.put("old_balance", 0);
        m.put("online_counter", 0);
        m.put("key_version", 1);
        m.put("algorithm_id", 0);
        m.put("random", HEX.formatHex(random));
        m.put("mac1", HEX.formatHex(mac1));
        m.put("date", DATE);
        m.put("time", "120000");
        return m;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] be(long v, int n) {
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}
