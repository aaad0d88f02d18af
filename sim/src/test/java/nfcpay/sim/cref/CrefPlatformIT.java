package nfcpay.sim.cref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.sim.BigEndian;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimAssembly;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SIM on Oracle's reference VM: the card module's four CAP files loaded through cref's installer, the selector
 * and the purses installed, personalized and loaded by the same {@link SimAssembly} as on jcardsim; then a SELECT
 * PPSE and GET BALANCE. Prints the EEPROM and RAM cref reports after each step. The CAP folder is the card module's
 * {@code target/cap} unless {@code -Dnfcpay.cap.dir} names another.
 */
class CrefPlatformIT {

    private CrefPlatform cref;

    @AfterEach
    void stop() {
        if (cref != null) {
            cref.close();
        }
    }

    @Test
    void theSimOnTheReferenceVm() {
        Path exe = JavaCardSdk.crefOrSkip();
        String dir = System.getProperty("nfcpay.cap.dir");
        Path caps = dir != null ? Path.of(dir) : JavaCardSdk.cardCapsOrSkip();
        cref = CrefPlatform.start(exe, List.of(caps));
        report("empty card");

        long started = System.nanoTime();
        cref.loadAll();
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        cref.reset();
        System.out.printf("cref: loaded %s in %d ms%n", cref.caps().keySet(), loadMillis);
        report("four packages loaded");

        SimAssembly.installSelector(cref, false, SelectionPolicy.PRIORITY, "1234".getBytes(StandardCharsets.US_ASCII));
        cref.reset();
        report("selector installed");

        SimAssembly assembly = new SimAssembly(IssuerMasterKeys.TEST, Clock.systemUTC());
        List<SimCard> purses = assembly.installPurses(cref, 1, List.of(
                new SimAssembly.Purse("Daily Wallet", 1_500, SimulatedSim.CNY, SimulatedSim.DEFAULT_MAX_BALANCE)));
        report("one purse installed and personalized");
        SimCard second = SimAssembly.purse(1, 2, 2, "Salary Card", SimulatedSim.CNY, SimulatedSim.DEFAULT_MAX_BALANCE);
        assembly.installPurse(cref, second, 32_000);
        cref.reset();
        report("a second purse");
        // registrations start new: the holder's approval, as every assembly gives it (docs/protocol.md 2.4)
        assembly.activateAsHolder(cref, "1234".getBytes(StandardCharsets.US_ASCII), List.of(purses.get(0), second));

        ResponseAPDU ppse = cref.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256));
        assertThat(ppse.getSW()).as("SELECT PPSE").isEqualTo(0x9000);
        assertThat(balance(purses.get(0))).isEqualTo(1_500);
        assertThat(balance(second)).isEqualTo(32_000);
    }

    private long balance(SimCard card) {
        assertThat(cref.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, card.aid(), 256)).getSW()).isEqualTo(0x9000);
        ResponseAPDU r = cref.transmit(new CommandAPDU(0x80, 0x5C, 0x00, 0x02, 4));
        assertThat(r.getSW()).as("GET BALANCE").isEqualTo(0x9000);
        return BigEndian.toLong(r.getData());
    }

    private void report(String step) {
        System.out.printf("cref after %s: %s%n", step, cref.resources().map(Object::toString).orElse("(no figures)"));
    }
}
