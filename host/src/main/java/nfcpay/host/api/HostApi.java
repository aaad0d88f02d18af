package nfcpay.host.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import nfcpay.host.db.Tx;
import nfcpay.host.keys.KeyService;
import nfcpay.host.ledger.Accounting;

/**
 * The HTTP surface of PROTOCOL.md 5 plus the admin endpoints of docs/host.md, on Javalin. Stateless:
 * each request authenticates by its bearer token and runs in its own transaction.
 */
public final class HostApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRINCIPAL = "nfcpay.principal";
    /** 10,000 records of about 250 bytes fit with room; larger bodies are refused before parsing. */
    private static final long MAX_BODY = 8L * 1024 * 1024;

    private final DataSource ds;
    private final Clearing clearing;
    private final Loads loads;
    private final HotList hotList;
    private final AdminReports reports;
    private final IssuerScripts scripts;
    private final CredentialCache credentialCache = new CredentialCache();

    public HostApi(DataSource ds, KeyService keys, Accounting accounting) {
        this.ds = ds;
        this.hotList = new HotList(ds);
        this.clearing = new Clearing(ds, keys, accounting);
        this.loads = new Loads(ds, keys, accounting);
        this.reports = new AdminReports(ds, accounting);
        this.scripts = new IssuerScripts(ds, keys);
    }

    /** A Javalin server bound to 127.0.0.1:port (0 = ephemeral), not yet started. */
    public Javalin create(String host, int port) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.before(this::authenticate);

            config.routes.post("/v1/clearing", ctx -> json(ctx, 200,
                    Map.of("results", clearing.clear(principal(ctx), body(ctx)).stream().map(HostApi::result).toList())));
            config.routes.post("/v1/loads", ctx -> json(ctx, 200, loads.authorize(principal(ctx), body(ctx))));
            config.routes.post("/v1/loads/{id}/confirm", ctx -> json(ctx, 200,
                    loads.confirm(principal(ctx), ctx.pathParam("id"), body(ctx))));
            config.routes.get("/v1/loads/{id}", ctx -> json(ctx, 200, loads.status(principal(ctx), ctx.pathParam("id"))));
            config.routes.get("/v1/hotlist", ctx -> json(ctx, 200, hotList.get()));
            config.routes.put("/v1/hotlist/{card_serial}", ctx -> {
                principal(ctx).requireAdmin();
                json(ctx, 200, hotList.put(ctx.pathParam("card_serial"), true));
            });
            config.routes.delete("/v1/hotlist/{card_serial}", ctx -> {
                principal(ctx).requireAdmin();
                json(ctx, 200, hotList.put(ctx.pathParam("card_serial"), false));
            });
            config.routes.get("/v1/admin/ledger/check", ctx -> {
                principal(ctx).requireAdmin();
                json(ctx, 200, reports.ledgerCheck());
            });
            config.routes.get("/v1/admin/settlement", ctx -> {
                principal(ctx).requireAdmin();
                json(ctx, 200, reports.settlement(terminalParam(ctx), dateParam(ctx)));
            });
            config.routes.post("/v1/admin/scripts", ctx -> json(ctx, 200, scripts.issue(principal(ctx), body(ctx))));
            config.routes.get("/v1/admin/cards/{card_serial}", ctx -> {
                principal(ctx).requireAdmin();
                json(ctx, 200, reports.card(ctx.pathParam("card_serial")));
            });

            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
            config.routes.exception(Tx.Unavailable.class, (e, ctx) ->
                    error(ctx, 503, "unavailable", e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    error(ctx, e.getStatus(), httpCode(e.getStatus()), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                System.err.println("nfcpay host: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
                error(ctx, 500, "internal", "internal error; see the host's log");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    error(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> error(ctx, 405, "method_not_allowed", "method not allowed"));
        });
    }

    private void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw new ApiException(401, "unauthorized", "missing bearer token");
        }
        String token = header.substring(7).trim();
        String hash = java.util.HexFormat.of().formatHex(Credentials.hash(token));
        Principal known = credentialCache.get(hash);
        if (known != null) {
            ctx.attribute(PRINCIPAL, known);
            return;
        }
        Optional<Principal> who = Tx.run(ds, c -> Credentials.authenticate(c, token));
        if (who.isEmpty()) {
            throw new ApiException(401, "unauthorized", "unknown bearer token");
        }
        credentialCache.put(hash, who.get());
        ctx.attribute(PRINCIPAL, who.get());
    }

    private static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new ApiException(401, "unauthorized", "missing bearer token");
        }
        return p;
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode n = JSON.readTree(ctx.bodyAsBytes());
            if (n == null || n.isMissingNode()) {
                throw ApiException.malformed("the body is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.malformed("the body is not JSON");
        } catch (IOException e) {
            throw ApiException.malformed("the body could not be read");
        }
    }

    private static String terminalParam(Context ctx) {
        String t = ctx.queryParam("terminal_id");
        if (t != null && (t.length() != 12 || !Fields.isHex(t))) {
            throw ApiException.malformed("terminal_id must be 6 bytes of hex");
        }
        return t == null ? null : t.toUpperCase(java.util.Locale.ROOT);
    }

    private static String dateParam(Context ctx) {
        String d = ctx.queryParam("date");
        if (d != null && !d.matches("\\d{8}")) {
            throw ApiException.malformed("date must be YYYYMMDD");
        }
        return d;
    }

    private static String httpCode(int status) {
        return switch (status) {
            case 400, 413 -> "malformed";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> "http_" + status;
        };
    }

    private static Map<String, Object> result(Clearing.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.status());
        if (r.reason() != null) {
            m.put("reason", r.reason());
        }
        return m;
    }

    private static void json(Context ctx, int status, Object body) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    private static void error(Context ctx, int status, String code, String message) {
        String line = message == null ? code : message.replace('\n', ' ');
        try {
            json(ctx, status, Map.of("error", code, "message", line));
        } catch (JsonProcessingException e) {
            ctx.status(status).result("{\"error\":\"" + code + "\"}");
        }
    }

    static List<String> endpoints() {
        return List.of("POST /v1/clearing", "POST /v1/loads", "POST /v1/loads/{id}/confirm", "GET /v1/loads/{id}",
                "GET /v1/hotlist", "PUT /v1/hotlist/{card_serial}", "DELETE /v1/hotlist/{card_serial}",
                "GET /v1/admin/ledger/check", "GET /v1/admin/settlement", "GET /v1/admin/cards/{card_serial}",
                "POST /v1/admin/scripts");
    }
}
