package nfcpay.terminal.apdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import nfcpay.terminal.apdu.TerminalWire.Command;
import org.junit.jupiter.api.Test;

class ResponseTest {

    @Test
    void splitsDataAndStatusWord() throws CardDataException {
        Response r = Response.of(Command.GET_BALANCE, Bytes.fromHex("000003E8 9000"));

        assertThat(r.sw()).isEqualTo(0x9000);
        assertThat(r.data()).containsExactly(0, 0, 3, (byte) 0xE8);
        assertThat(r.isOk()).isTrue();
    }

    @Test
    void checkPassesAllowedStatusWordsAndThrowsATypedExceptionForOthers() throws CardDataException, StatusWordException {
        Response funds = Response.of(Command.INITIALIZE_FOR_PURCHASE, Bytes.fromHex("9401"));

        assertThat(Response.check(funds, 0x9000, 0x9401)).isSameAs(funds);
        assertThatThrownBy(() -> Response.check(funds))
                .isInstanceOfSatisfying(StatusWordException.class, e -> {
                    assertThat(e.sw()).isEqualTo(0x9401);
                    assertThat(e.command()).isEqualTo(Command.INITIALIZE_FOR_PURCHASE);
                })
                .hasMessage("INITIALIZE FOR PURCHASE answered 9401 (balance less than the amount)");
    }

    @Test
    void aResponseWithoutStatusWordOrOfTheWrongLengthIsCardData() throws CardDataException {
        assertThatThrownBy(() -> Response.of(Command.GET_BALANCE, new byte[] {(byte) 0x90}))
                .isInstanceOf(CardDataException.class);
        Response shortBalance = Response.of(Command.GET_BALANCE, Bytes.fromHex("0003E8 9000"));
        assertThatThrownBy(() -> shortBalance.data(4)).isInstanceOf(CardDataException.class)
                .hasMessage("GET BALANCE returned 3 bytes, expected 4");
    }

    @Test
    void apdusAreBuiltInTheShortCases() {
        assertThat(Bytes.hex(Apdu.of(Command.GET_BALANCE, null, 4).bytes())).isEqualTo("805C000204");
        assertThat(Bytes.hex(Apdu.of(Command.SELECT, Bytes.fromHex("F000000824010101"), Apdu.LE_ANY).bytes()))
                .isEqualTo("00A4040008F00000082401010100");
        assertThat(Bytes.hex(Apdu.of(Command.READ_RECORD, 3, 0xC4, null, Apdu.LE_ANY).bytes())).isEqualTo("00B203C400");
        assertThat(Apdu.of(Command.GET_BALANCE, null, 4).toString()).doesNotContain("805C");
    }
}
