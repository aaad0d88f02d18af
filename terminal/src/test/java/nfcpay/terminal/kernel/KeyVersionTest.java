package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nfcpay.sim.SimulatedSim;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.kernel.PurchaseResult.Outcome;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.security.KeyFile;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An honest terminal whose purchase key is of another version than the card's never sends DEBIT (issue 14 item 1):
 * its MAC1 could only fail, and each failure is one of the card's ten tries before the purse locks for good.
 */
class KeyVersionTest {

    @TempDir
    Path dir;

    @Test
    void aTerminalWithAnotherKeyVersionDeclinesBeforeDebitAndSpendsNoMacTry() throws Exception {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        List<String> trace = new ArrayList<>();
        try (Journal journal = Fixtures.journal(dir)) {
            // Another issuer key generation: another MPK, version 02, where the cards' DPK is of version 01.
            Path keys = dir.resolve("keys.properties");
            Files.writeString(keys, "mpk=00112233445566778899AABBCCDDEEFF\nmpk_version=02\n");
            Kernel wrongVersion = Kernel.builder().journal(journal)
                    .purchaseSecurityModule(KeyFile.load(keys).purchaseModule()).build();
            for (int tap = 0; tap < 12; tap++) {
                PurchaseResult r = pay(wrongVersion, sim, "12.00", trace);
                assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
                assertThat(r.reason()).contains("purchase key version 01, this terminal's is 02");
            }
            assertThat(trace).as("no DEBIT FOR PURCHASE sent").noneMatch(l -> l.startsWith(">> 8054"));
            assertThat(journal.list(10)).as("nothing journaled").isEmpty();

            // Twelve DEBITs with that key's MAC1 would have locked the purse (ten tries): the right terminal still pays.
            PurchaseResult right = pay(Fixtures.kernel(journal), sim, "12.00", trace);
            assertThat(right.outcome()).isEqualTo(Outcome.APPROVED);
            assertThat(sim.balance("Daily Wallet")).isEqualTo(300);
        }
    }

    /**
     * The card does not return the key index (PROTOCOL.md 3.2's INITIALIZE answer has none): it refuses an index it
     * lacks with 9403 before any MAC. The kernel declines that card there, sends no DEBIT, and the card's tries stay.
     * Modelled by a terminal whose INITIALIZE names key index 02 (the cards hold 01 only).
     */
    @Test
    void aCardWithoutTheTerminalsKeyIndexIsDeclinedBeforeDebit() throws Exception {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        List<String> trace = new ArrayList<>();
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            for (int tap = 0; tap < 12; tap++) {
                try (Transport t = Transports.stack(otherKeyIndex(Readers.connect(sim.terminal())), trace::add)) {
                    PurchaseResult r = kernel.purchase(t, Money.parse("12.00"));
                    assertThat(r.outcome()).isEqualTo(Outcome.DECLINED);
                    assertThat(r.reason()).contains("no purchase key of index 01 on the card");
                }
            }
            assertThat(trace).as("no DEBIT FOR PURCHASE sent").noneMatch(l -> l.startsWith(">> 8054"));
            assertThat(pay(kernel, sim, "12.00", trace).outcome()).as("no try was spent").isEqualTo(Outcome.APPROVED);
        }
    }

    /** INITIALIZE FOR PURCHASE with key index 02 instead of 01. */
    private static Transport otherKeyIndex(Transport card) {
        return new Transport() {
            @Override
            public byte[] transceive(byte[] apdu) throws nfcpay.terminal.transport.TransportException {
                if (apdu.length > 5 && (apdu[0] & 0xFF) == 0x80 && apdu[1] == 0x50 && apdu[2] == 0x01) {
                    apdu = apdu.clone();
                    apdu[5] = 0x02;
                }
                return card.transceive(apdu);
            }

            @Override
            public void close() throws nfcpay.terminal.transport.TransportException {
                card.close();
            }
        };
    }

    private static PurchaseResult pay(Kernel kernel, SimulatedSim sim, String amount, List<String> trace)
            throws TerminalException {
        try (Transport t = Transports.stack(Readers.connect(sim.terminal()), trace::add)) {
            return kernel.purchase(t, Money.parse(amount));
        }
    }
}
