package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.transport.Readers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceTest {

    static final String SELECT_PPSE = ">> 00A404000E325041592E5359532E444446303100";

    @TempDir
    Path home;

    @TempDir
    Path data;

    @TempDir
    Path hostDir;

    @Test
    void everyApduGoesToStderrMaskedAndStdoutStaysJson() throws Exception {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        Cli cli = new Cli(home).reader("sim", name -> Readers.connect(sim.terminal()));

        Cli.Run pay = cli.run("pay", "--amount", "12", "--reader", "sim", "--trace", "--json", "--data-dir", data.toString(),
                "--test-keys");
        Cli.Run load;
        try (TestHost host = TestHost.start(hostDir)) {
            String[] h = host.args(data);
            load = cli.run("--trace", "load", "--amount", "1", "--reader", "sim", "--data-dir", data.toString(), "--test-keys",
                    h[0], h[1], h[2], h[3]);
        }

        assertThat(pay.exit()).isZero();
        String tac = pay.json().get("tac").getAsString();
        List<String> lines = pay.errLines();
        assertThat(lines).allMatch(l -> l.startsWith(">> ") || l.startsWith("<< "), "only APDU lines");
        assertThat(lines.get(0)).startsWith(SELECT_PPSE.substring(0, 40));
        assertThat(lines).anyMatch(l -> l.startsWith(">> 805401000F")); // DEBIT FOR PURCHASE, MAC1 masked
        assertThat(lines).anyMatch(l -> l.matches(">> 805401000F.*\\*\\*\\*\\*\\*\\*\\*\\*(08)?"));
        assertThat(load.exit()).isZero();
        assertThat(load.errLines()).allMatch(l -> l.startsWith(">> ") || l.startsWith("<< ")).hasSizeGreaterThan(4);

        String traces = pay.err() + load.err();
        for (SimCard c : sim.cards()) {
            assertThat(traces).as("serial of " + c.label()).doesNotContain(hex(c.serial()));
            assertThat(traces).doesNotContain(hex(IssuerMasterKeys.TEST.purchaseKey(c.serial())));
            assertThat(traces).doesNotContain(hex(IssuerMasterKeys.TEST.loadKey(c.serial())));
        }
        assertThat(traces).doesNotContain("0123456789ABCDEF", "00112233445566778899AABBCCDDEEFF", tac);
    }

    @Test
    void theSimulatedSimIsTracedToo() {
        Cli.Run r = new Cli(home).run("cards", "--trace", "--data-dir", data.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.errLines()).first().asString().startsWith(">> 00A404000E325041592E5359532E4444463031");
        assertThat(r.errLines()).allMatch(l -> l.startsWith(">> ") || l.startsWith("<< "));
        assertThat(r.out()).doesNotContain(">>");
    }

    static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
