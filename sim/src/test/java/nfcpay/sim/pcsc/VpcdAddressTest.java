package nfcpay.sim.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class VpcdAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:35963  | 127.0.0.1   | 35963",
        "localhost        | localhost   | 35963",
        ":35964           | 127.0.0.1   | 35964",
        "pcsc.example:1   | pcsc.example| 1",
        "[::1]:35965      | ::1         | 35965",
        "[::1]            | ::1         | 35963",
        "::1              | ::1         | 35963",
    })
    void parsesHostAndPortWithDefaults(String spec, String host, int port) {
        InetSocketAddress a = VpcdCard.parseAddress(spec);
        assertThat(a.getHostString()).isEqualTo(host);
        assertThat(a.getPort()).isEqualTo(port);
        assertThat(a.isUnresolved()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:port", "host:0", "host:65536", "[::1", "[::1]x"})
    void rejectsBadAddresses(String spec) {
        assertThatThrownBy(() -> VpcdCard.parseAddress(spec)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheReaderOfEachDefaultVpcdSlot() {
        assertThat(VpcdCard.readerName(35963)).isEqualTo("Virtual PCD 00 00");
        assertThat(VpcdCard.readerName(35964)).isEqualTo("Virtual PCD 00 01");
        assertThatThrownBy(() -> VpcdCard.readerName(35962)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new VpcdCard(new CardSimulatorHandler(TestCards.counterCard()), VpcdCard.parseAddress(":9999"), l -> {})
                .readerName()).isEqualTo("the vpcd reader on port 9999");
    }
}
