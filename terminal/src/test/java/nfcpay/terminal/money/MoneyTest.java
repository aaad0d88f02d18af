package nfcpay.terminal.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import nfcpay.terminal.apdu.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({"12.34, 1234", "12.3, 1230", "12, 1200", "0.01, 1", "5., 500", "007, 700", "42949672.95, 4294967295"})
    void parsesExactDecimalsIntoFen(String text, long fen) {
        assertThat(Money.parse(text)).isEqualTo(Money.cny(fen));
    }

    @ParameterizedTest
    // ".5" and "12.340" were amounts before issue 16's one grammar: a till refuses them with what to write instead.
    @ValueSource(strings = {".5", "12.340", " 12", "12 ", "12.345", "0", "0.00", "-1", "-0.01", "1e3", "12,34", "", " ", "abc", "1.2.3", "42949672.96", "+5",
        "99999999999999999999"})
    void refusesWhatIsNotAPositiveExactAmountWithinTheCardsRange(String text) {
        assertThatThrownBy(() -> Money.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("null");
    }

    @Test
    void messagesNameTheProblem() {
        assertThatThrownBy(() -> Money.parse("12.345")).hasMessage("amount 12.345 has more than 2 decimal places for CNY");
        assertThatThrownBy(() -> Money.parse("0")).hasMessage("amount must be above zero: 0");
        assertThatThrownBy(() -> Money.parse("-3")).hasMessage("amount must be above zero: -3");
        assertThatThrownBy(() -> Money.parse(".5")).hasMessage("write 0.5, not .5");
        assertThatThrownBy(() -> Money.parse("+12")).hasMessage("no sign in an amount: write 12, not +12");
        assertThatThrownBy(() -> Money.parse("abc")).hasMessage("not an amount: 'abc' (write it like 12.34)");
        assertThatThrownBy(() -> Money.parse("50000000")).hasMessage("amount 50000000 is above the card's maximum 42949672.95 CNY");
        assertThatThrownBy(() -> Money.currency("XYZ")).hasMessage("unknown currency: 'XYZ' (an ISO 4217 code like CNY)");
    }

    @Test
    void currencyDigitsDecideTheScale() {
        Currency jpy = Currency.getInstance("JPY");
        assertThat(Money.parse("500", jpy).minor()).isEqualTo(500);
        assertThatThrownBy(() -> Money.parse("1.5", jpy)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.parse("500.0", jpy)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Money.parseNonNegative("0", jpy).minor()).isZero();
        assertThat(Money.parse("1.234", Currency.getInstance("KWD")).minor()).isEqualTo(1234);
        assertThatThrownBy(() -> Money.currency("XAU")).hasMessageContaining("XAU");
    }

    @Test
    void formatsBackWithTheCurrencysDigits() {
        assertThat(Money.cny(2000).format()).isEqualTo("20.00");
        assertThat(Money.cny(5).toString()).isEqualTo("0.05 CNY");
        assertThat(Money.parse("7", Currency.getInstance("JPY")).format()).isEqualTo("7");
        assertThat(Money.parse("12.3").format()).isEqualTo("12.30");
    }

    @Test
    void encodesForTheCard() {
        assertThat(Bytes.hex(Money.parse("12.34").toN12())).isEqualTo("000000001234");
        assertThat(Bytes.hex(Money.parse("12.34").toBinary())).isEqualTo("000004D2");
        assertThat(Bytes.hex(Money.currencyToN3(Money.CNY))).isEqualTo("0156");
        assertThat(Bytes.hex(Money.currencyToN3(Currency.getInstance("USD")))).isEqualTo("0840");
        assertThat(Money.currencyFromN3(Bytes.fromHex("0156"), 0)).isEqualTo(Money.CNY);
        assertThat(Money.currencyFromN3(Bytes.fromHex("0978"), 0)).isEqualTo(Currency.getInstance("EUR"));
        assertThatThrownBy(() -> Money.currencyFromN3(Bytes.fromHex("01A6"), 0)).hasMessage("currency code is not BCD");
        assertThatThrownBy(() -> Money.currencyFromN3(Bytes.fromHex("0001"), 0)).hasMessage("unknown currency number 001");
    }

    @Test
    void arithmeticStaysInOneCurrency() {
        assertThat(Money.cny(5000).minus(Money.cny(1234))).isEqualTo(Money.cny(3766));
        assertThatThrownBy(() -> Money.cny(1).plus(Money.parse("1", Currency.getInstance("USD"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.cny(1).minus(Money.cny(2))).isInstanceOf(IllegalArgumentException.class);
    }
}
