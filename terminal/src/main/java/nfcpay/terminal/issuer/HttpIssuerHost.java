package nfcpay.terminal.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nfcpay.terminal.journal.JournalRecord;

/** {@link IssuerHost} over HTTP with the JDK's client; every wait bounded. */
public final class HttpIssuerHost implements IssuerHost {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
    /** The contract's ceiling per upload (PROTOCOL.md 5.2). */
    public static final int MAX_BATCH = 10_000;

    private final String baseUrl;
    private final String token;
    private final HttpClient client;

    public HttpIssuerHost(String baseUrl, String token) {
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("the host URL must start with http:// or https://");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public List<String> clear(byte[] terminalId, List<JournalRecord> purchases) throws IssuerHostException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (JournalRecord r : purchases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("card_serial", HEX.formatHex(r.cardSerial()));
            m.put("aid", r.aid());
            m.put("amount", r.amount().minor());
            m.put("currency", r.amount().currency().getCurrencyCode());
            m.put("offline_counter", r.counter());
            m.put("terminal_serial", r.terminalSerial());
            m.put("date", r.date().format(DATE));
            m.put("time", r.time().format(TIME));
            m.put("balance_before", r.balanceBeforeMinor());
            m.put("tac", HEX.formatHex(r.tac()));
            records.add(m);
        }
        JsonNode answer = call("POST", "/v1/clearing", Map.of("terminal_id", HEX.formatHex(terminalId), "records", records));
        List<String> out = new ArrayList<>();
        for (JsonNode r : answer.path("results")) {
            String s = r.path("status").asText();
            out.add(r.has("reason") ? s + ":" + r.get("reason").asText() : s);
        }
        if (out.size() != purchases.size()) {
            throw new IssuerHostException(200, "bad_answer", "the host answered " + out.size() + " results for "
                    + purchases.size() + " records", null);
        }
        return out;
    }

    @Override
    public LoadAuthorization authorizeLoad(LoadAuthorizationRequest r) throws IssuerHostException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("terminal_id", r.terminalId());
        m.put("card_serial", r.cardSerial());
        m.put("aid", r.aid());
        m.put("amount", r.amount());
        m.put("currency", r.currency());
        m.put("old_balance", r.oldBalance());
        m.put("online_counter", r.onlineCounter());
        m.put("key_version", r.keyVersion());
        m.put("algorithm_id", r.algorithmId());
        m.put("random", r.random());
        m.put("mac1", r.mac1());
        m.put("date", r.date());
        m.put("time", r.time());
        JsonNode a = call("POST", "/v1/loads", m);
        return new LoadAuthorization(a.path("load_id").asText(), HexFormat.of().parseHex(a.path("mac2").asText()));
    }

    @Override
    public void confirmLoad(String loadId, byte[] tac) throws IssuerHostException {
        call("POST", "/v1/loads/" + loadId + "/confirm", Map.of("tac", HEX.formatHex(tac)));
    }

    @Override
    public String loadStatus(String loadId) throws IssuerHostException {
        return call("GET", "/v1/loads/" + loadId, null).path("status").asText();
    }

    @Override
    public HotList hotList() throws IssuerHostException {
        JsonNode a = call("GET", "/v1/hotlist", null);
        List<String> cards = new ArrayList<>();
        a.path("cards").forEach(c -> cards.add(c.asText().toUpperCase(java.util.Locale.ROOT)));
        return new HotList(a.path("version").asLong(), cards);
    }

    @Override
    public IssuerScript issuerScript(IssuerScriptRequest r) throws IssuerHostException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("card_serial", r.cardSerial());
        m.put("challenge", r.challenge());
        m.put("action", r.action().wire());
        JsonNode a = call("POST", "/v1/admin/scripts", m);
        String apdu = a.path("apdu").asText("");
        if (!apdu.matches("(?i)84(1E|18)00(00|01)04[0-9A-F]{8}")) {
            throw new IssuerHostException(200, "bad_answer", "the host answered no issuer script APDU", null);
        }
        return new IssuerScript(a.path("script_id").asLong(), HexFormat.of().parseHex(apdu));
    }

    private JsonNode call(String method, String path, Object body) throws IssuerHostException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode n = r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IssuerHostException(r.statusCode(), n.path("error").asText("http_" + r.statusCode()),
                        "the issuer host refused: " + n.path("error").asText("HTTP " + r.statusCode()) + " ("
                                + n.path("message").asText("") + ")", null);
            }
            return n;
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused"
                    : e instanceof java.net.http.HttpTimeoutException ? "no answer within the timeout"
                    : e.getMessage() == null ? "I/O error" : e.getMessage();
            throw new IssuerHostException(0, "unreachable", "the issuer host at " + baseUrl + " is unreachable: " + why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IssuerHostException(0, "unreachable", "interrupted while calling the issuer host", e);
        }
    }
}
