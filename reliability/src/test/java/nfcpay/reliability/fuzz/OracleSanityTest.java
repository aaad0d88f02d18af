package nfcpay.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.TransactionalSim;
import org.junit.jupiter.api.Test;

/**
 * The fuzzers' oracles against applets with a defect put in: a fuzzer whose oracle cannot see the defect
 * would report zero findings forever. Each mutant here must make the oracle fail.
 */
class OracleSanityTest {

    private static TransactionalSim wallet(Mutation mutation) {
        return TransactionalSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).card("Travel Card", 150_000)
                .loader(CardClassLoader.mutant(mutation)).build();
    }

    @Test
    void conservationCatchesAPurseThatAcceptsAWrongMac() {
        TransactionalSim sim = wallet(Mutation.removeThrow("nfcpay.card.purse.PurseApplet", "verifyMac", 0x9302));
        List<Conservation.Move> moves = List.of(new Conservation.Move(1, true, 500, Conservation.Kind.WRONG_MAC, 0));
        assertThatThrownBy(() -> new Conservation(sim).run(moves)).hasMessageContaining("forged DEBIT was accepted");
    }

    @Test
    void conservationCatchesAPurseThatDoesNotCountItsTransactions() {
        // a DEBIT whose response is lost: the terminal learns that it happened from the counter alone
        TransactionalSim sim = wallet(Mutation.replaceCall("nfcpay.card.purse.PurseApplet", "processDebit",
                "javacard.framework.Util", "setShort", 0, "no offline counter increment"));
        List<Conservation.Move> moves = List.of(
                new Conservation.Move(1, true, 500, Conservation.Kind.AUTHORIZED, 0),
                new Conservation.Move(1, true, 500, Conservation.Kind.TORN, Conservation.RESPONSE_LOST));
        assertThatThrownBy(() -> new Conservation(sim).run(moves)).isInstanceOf(AssertionError.class);
    }

    @Test
    void theStatusWordOracleCatchesAnUncaughtException() {
        // without the 6A80 for a DGI length that runs past the data, the purse checks issuer data that
        // starts 7 bytes before the end of a full APDU buffer: 13 label DGIs, then 0101 1E and 7 bytes
        TransactionalSim sim = TransactionalSim.builder().card("Daily Wallet", 1_500)
                .loader(CardClassLoader.mutant(Mutation.removeThrow("nfcpay.card.purse.Dgi", "length", 0x6A80))).build();
        sim.installPurse(sim.nextPurse("Blank Card"));
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 13; i++) {
            int length = i < 12 ? 16 : 14;
            data.writeBytes(new byte[] {0x01, 0x03, (byte) length});
            data.writeBytes("ABCDEFGHIJKLMNOP".substring(0, length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        data.writeBytes(nfcpay.reliability.sim.Bytes.hex("01011E 00000000082400"));
        byte[] input = new Encoder().raw(new javax.smartcardio.CommandAPDU(0x80, 0xE2, 0x00, 0x00, data.toByteArray()).getBytes()).bytes();
        assertThatThrownBy(() -> new Exercise(sim, sim.card("Blank Card"), false).run(0, Decoder.decode(input)))
                .hasMessageContaining("undefined status word");
    }
}
