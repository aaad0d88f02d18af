package nfcpay.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import com.payneteasy.tlv.BerTag;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import nfcpay.bench.workload.CardSpec;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.Directory;
import nfcpay.terminal.kernel.Kernel;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultCardOnlyTransportTest {

    @TempDir
    Path dir;

    @Test
    void theReaderSeesOnlyThePriorityOneEntryWhileTheCardSentThemAll() throws Exception {
        SimulatedSim sim = BenchSims.build(List.of(new CardSpec("Daily", 100), new CardSpec("Salary", 200),
                new CardSpec("Travel", 300)), true, SelectionPolicy.PRIORITY, 5, 5, Clock.systemUTC());
        CountingTransport counting = new CountingTransport(Readers.connect(sim.terminal()));
        try (Journal journal = Journal.open(dir.resolve("journal.db"));
                Transport t = new DefaultCardOnlyTransport(Transports.stack(counting, null))) {
            Directory seen = Kernel.builder().journal(journal).build().readDirectory(t);
            assertThat(seen.applications()).extracting(a -> a.label()).containsExactly("Daily");
            assertThat(seen.smartSelection()).isFalse();
        }
        List<CountingTransport.Exchange> exchanges = counting.take();
        assertThat(exchanges).hasSize(1);
        assertThat(exchanges.get(0).kind()).isEqualTo(CountingTransport.Kind.SELECT_PPSE);
        // three directory entries went over the air, not one
        assertThat(exchanges.get(0).responseLength()).isGreaterThan(3 * 20);
    }

    @Test
    void longValuesGetTheTwoAndThreeByteLengthForms() {
        byte[] tlv = DefaultCardOnlyTransport.tlv(new BerTag(0xBF, 0x0C), new byte[300]);
        assertThat(tlv).hasSize(2 + 3 + 300);
        assertThat(tlv[2] & 0xFF).isEqualTo(0x82);
        assertThat(DefaultCardOnlyTransport.tlv(new BerTag(0x61), new byte[200])[1] & 0xFF).isEqualTo(0x81);
        assertThat(DefaultCardOnlyTransport.tlv(new BerTag(0x61), new byte[127])[1] & 0xFF).isEqualTo(0x7F);
    }
}
