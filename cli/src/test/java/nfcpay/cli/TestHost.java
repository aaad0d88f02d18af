package nfcpay.cli;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import nfcpay.host.Host;
import nfcpay.host.keys.SoftwareKeyService;
import nfcpay.terminal.journal.Journal;

/**
 * A real issuer host for the command line's tests: embedded PostgreSQL under a temporary directory, test keys,
 * 127.0.0.1 on an ephemeral port. The test class that starts one closes it in its @AfterAll, failed or not.
 */
final class TestHost implements AutoCloseable {

    final Host host;
    final Path dir;

    private TestHost(Host host, Path dir) {
        this.host = host;
        this.dir = dir;
    }

    static TestHost start(Path dir) throws Exception {
        return new TestHost(Host.start(dir, 0, Optional.empty(), SoftwareKeyService.withTestKeys()), dir);
    }

    String url() {
        return host.url();
    }

    /** A token for the terminal whose journal lives in {@code dataDir} (the journal is created if new). */
    String tokenFor(Path dataDir) throws Exception {
        String terminalId;
        try (Journal j = Journal.open(dataDir.resolve(NfcpayCommand.JOURNAL_FILE))) {
            terminalId = HexFormat.of().withUpperCase().formatHex(j.terminalId());
        }
        return Host.issueToken(dir, Optional.empty(), terminalId);
    }

    String adminToken() throws Exception {
        return Host.issueToken(dir, Optional.empty(), null);
    }

    /** --host URL --token TOKEN for the terminal of {@code dataDir}. */
    String[] args(Path dataDir) throws Exception {
        return new String[] {"--host", url(), "--token", tokenFor(dataDir)};
    }

    Map<String, Object> ledgerCheck() {
        return host.ledgerCheck();
    }

    @Override
    public void close() {
        host.close();
    }
}
