package nfcpay.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import nfcpay.host.Host;
import nfcpay.host.db.HostStartException;
import nfcpay.host.keys.KeyFiles;
import nfcpay.host.keys.KeyService;
import nfcpay.host.keys.SoftwareKeyService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nfcpay host}: the issuer host of PROTOCOL.md 5 (docs/host.md). */
@Command(name = "host",
        description = {"The issuer host: online loads, clearing by TAC, the double-entry ledger, the hot list.",
            "",
            "Runs over its own embedded PostgreSQL under --data-dir, or over an existing server with --db."
                + " See docs/host.md."},
        subcommands = {HostCommand.Serve.class, HostCommand.Token.class, HostCommand.Check.class})
final class HostCommand implements Callable<Integer> {

    @ParentCommand
    NfcpayCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say which: serve, token or check");
    }

    static Optional<String> db(String url, CommandSpec spec) {
        if (url == null) {
            return Optional.empty();
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new ParameterException(spec.commandLine(), "--db must be a jdbc:postgresql:// URL");
        }
        return Optional.of(url);
    }

    @Command(name = "serve", description = {"Run the host in the foreground on 127.0.0.1 until stopped (Ctrl-C, SIGTERM).",
        "Prints 'listening on http://127.0.0.1:PORT' once it accepts requests."})
    static final class Serve implements Callable<Integer> {
        @ParentCommand
        HostCommand host;

        @Spec
        CommandSpec spec;

        @Option(names = "--port", required = true, paramLabel = "PORT", description = "TCP port on 127.0.0.1 (0: any free port).")
        int port;

        @Option(names = "--db", paramLabel = "JDBC_URL",
                description = "An existing PostgreSQL (jdbc:postgresql://host:port/db?user=...); default: embedded under --data-dir.")
        String db;

        @Option(names = "--keys", paramLabel = "FILE",
                description = "The issuer's key file (mlk and mtk, 32 hex digits each; mamk, optional, for issuer scripts);"
                        + " default: the published test keys.")
        Path keys;

        @Override
        public Integer call() throws HostStartException {
            if (port < 0 || port > 65535) {
                throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535");
            }
            KeyService keyService = keyService(keys);
            Host running = Host.start(host.root.dataDir(), port, db(db, spec), keyService);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                stopped.countDown();
            }, "nfcpay-host-stop"));
            var out = spec.commandLine().getOut();
            out.println("listening on " + running.url());
            out.println("database: " + running.databaseDescription());
            out.println(keyService.testKeys() ? "keys: test keys (PROTOCOL.md 3.3; never for real money)" : "keys: " + keys);
            if (!keyService.hasMaintenanceKey()) {
                out.println("issuer scripts: off (the key file has no mamk)");
            }
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Main.OK;
        }
    }

    @Command(name = "token", description = {"Print a new bearer token (one line, nothing else on stdout). Only its hash is stored."})
    static final class Token implements Callable<Integer> {
        @ParentCommand
        HostCommand host;

        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Who who;

        static final class Who {
            @Option(names = "--terminal", paramLabel = "TERMINAL_ID", description = "A terminal's token (12 hex digits).")
            String terminal;

            @Option(names = "--admin", description = "The administrator's token (hot list, ledger check, reports).")
            boolean admin;
        }

        @Option(names = "--db", paramLabel = "JDBC_URL", description = "The host's PostgreSQL when it is not the embedded one.")
        String db;

        @Override
        public Integer call() throws HostStartException {
            if (who.terminal != null && !who.terminal.matches("[0-9A-Fa-f]{12}")) {
                throw new ParameterException(spec.commandLine(), "--terminal must be 12 hex digits (a 6-byte terminal ID)");
            }
            String token = Host.issueToken(host.root.dataDir(), db(db, spec), who.admin ? null : who.terminal);
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
    }

    @Command(name = "check", description = {"The ledger check: the ledger sums to zero, every posting balances, and every"
        + " card float equals its posted loads minus its cleared purchases. Exit 0 when it holds, 1 when not."})
    static final class Check implements Callable<Integer> {
        @ParentCommand
        HostCommand host;

        @Spec
        CommandSpec spec;

        @Option(names = "--db", paramLabel = "JDBC_URL", description = "The host's PostgreSQL when it is not the embedded one.")
        String db;

        @Override
        public Integer call() throws HostStartException {
            Map<String, Object> check = Host.check(host.root.dataDir(), db(db, spec));
            boolean balanced = Boolean.TRUE.equals(check.get("balanced"));
            if (host.root.json) {
                Map<String, Object> json = Json.object();
                json.putAll(check);
                host.root.out().println(Json.write(json));
            } else {
                var out = host.root.out();
                out.println(balanced ? "ledger balanced" : "LEDGER NOT BALANCED");
                out.println("  sum of all lines: " + check.get("total"));
                out.println("  postings: " + check.get("postings") + " posted, unbalanced: " + check.get("unbalanced_postings"));
                out.println("  card floats checked: " + check.get("cards_checked") + ", mismatches: " + check.get("card_mismatches"));
                out.println("  pending loads: " + check.get("pending_loads"));
            }
            host.root.out().flush();
            return balanced ? Main.OK : Main.ERROR;
        }
    }

    static KeyService keyService(Path keys) throws HostStartException {
        if (keys == null) {
            return SoftwareKeyService.withTestKeys();
        }
        try {
            return KeyFiles.load(keys);
        } catch (IllegalArgumentException e) {
            throw new HostStartException(e.getMessage());
        }
    }
}
