package nfcpay.terminal.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalTime;
import nfcpay.terminal.apdu.Bytes;
import org.junit.jupiter.api.Test;

class BcdTest {

    @Test
    void encodesAndDecodesPackedBcd() {
        assertThat(Bytes.hex(Bcd.encode(156, 2))).isEqualTo("0156");
        assertThat(Bcd.decode(Bytes.fromHex("000000001234"), 0, 6)).isEqualTo(1234);
        assertThatThrownBy(() -> Bcd.encode(12345, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bcd.decode(Bytes.fromHex("1A"), 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void datesAndTimesAsTheCardKeepsThem() {
        assertThat(Bytes.hex(Bcd.date(LocalDate.of(2026, 3, 1)))).isEqualTo("20260301");
        assertThat(Bytes.hex(Bcd.time(LocalTime.of(9, 5, 7)))).isEqualTo("090507");
        assertThat(Bcd.toDate(Bytes.fromHex("20491231"), 0)).isEqualTo(LocalDate.of(2049, 12, 31));
        assertThat(Bcd.toTime(Bytes.fromHex("235959"), 0)).isEqualTo(LocalTime.of(23, 59, 59));
        assertThatThrownBy(() -> Bcd.toDate(Bytes.fromHex("20260230"), 0)).hasMessageContaining("not a date");
        assertThatThrownBy(() -> Bcd.toTime(Bytes.fromHex("246000"), 0)).hasMessageContaining("not a time");
    }
}
