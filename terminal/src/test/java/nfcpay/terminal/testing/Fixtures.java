package nfcpay.terminal.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.kernel.RandomSource;

/** The fixed terminal of the deterministic tests: clock, unpredictable number, terminal ID. */
public final class Fixtures {

    /** 2026-03-01 12:34:56 UTC. */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:34:56Z"), ZoneOffset.UTC);
    public static final byte[] TERMINAL_ID = HexFormat.of().parseHex("001122334455");
    /** The unpredictable number sent with GPO: 0A0B0C0D every time. */
    public static final RandomSource UN = n -> {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0x0A + i);
        }
        return b;
    };

    private Fixtures() {}

    public static Journal journal(Path dir) throws TerminalException {
        return Journal.open(dir.resolve("journal.db"), TERMINAL_ID, CLOCK);
    }

    /** The fixed kernel, its loads authorized by a fresh in-process issuer. */
    public static Kernel kernel(Journal journal) {
        return kernel(journal, new InProcessIssuer(journal.terminalId()));
    }

    public static Kernel kernel(Journal journal, InProcessIssuer issuer) {
        return Kernel.builder().journal(journal).clock(CLOCK).random(UN).issuerHost(issuer).build();
    }
}
