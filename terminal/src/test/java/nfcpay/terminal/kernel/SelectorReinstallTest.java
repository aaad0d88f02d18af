package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.wallet.AccountStatus;
import nfcpay.sim.wallet.HolderSession;
import nfcpay.sim.wallet.WalletCard;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.transport.Readers;
import nfcpay.terminal.transport.Transport;
import nfcpay.terminal.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4 on jcardsim: reinstalling the selector (the remedy for a blocked holder PIN) empties its registry;
 * each purse registers again on its next contact selection, comes back new under a fresh credential, and pays once
 * the holder activates it. {@code KernelOnReferenceVmIT} runs the same on Oracle's reference VM. Without the purse's
 * re-registration the purses never come back (run against that code: the listing stays empty).
 */
public class SelectorReinstallTest {

    @TempDir
    Path dir;
    private Journal journal;
    private Kernel kernel;

    @BeforeEach
    void open() throws TerminalException {
        journal = Fixtures.journal(dir);
        kernel = Fixtures.kernel(journal);
    }

    @AfterEach
    void close() throws TerminalException {
        journal.close();
    }

    /** The label of the card that paid, or empty when the tap paid nothing (declined, or no PPSE entry at all). */
    public static Optional<String> pay(Kernel kernel, SimulatedSim sim, String amount) {
        try (Transport t = Transports.stack(Readers.connect(sim.terminal()), null)) {
            PurchaseResult r = kernel.purchase(t, Money.parse(amount));
            return r.approved() ? Optional.of(r.application().label()) : Optional.empty();
        } catch (TerminalException e) {
            return Optional.empty();
        }
    }

    /**
     * The scenario, on any platform the SIM was built on: pays, reinstall, nothing pays, the purses rejoin new with
     * authentic records (so under the new selector's fresh credentials), the holder activates them, they pay again.
     */
    public static void reinstallThenRejoinThenPay(Kernel kernel, SimulatedSim sim) {
        assertThat(pay(kernel, sim, "5.00")).contains("Daily Wallet");

        sim.reinstallSelector(true);

        assertThat(pay(kernel, sim, "5.00")).as("rejoined purses are new: nothing pays yet").isEmpty();
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_000);
        HolderSession wallet = sim.holderSession();
        assertThat(wallet.list()).extracting(WalletCard::label).containsExactly("Daily Wallet", "Salary Card");
        for (WalletCard c : wallet.list()) {
            assertThat(c.isNew()).as(c.label()).isTrue();
            assertThat(c.active()).as(c.label()).isFalse();
            // The old selector's credentials went with it: an authentic record means the purse holds the new one.
            assertThat(c.account()).as(c.label()).isEqualTo(AccountStatus.ACTIVE);
        }
        wallet.verify(SimulatedSim.DEFAULT_HOLDER_PIN.toCharArray());
        wallet.activate("Daily Wallet");
        wallet.activate("Salary Card");

        assertThat(pay(kernel, sim, "5.00")).contains("Daily Wallet");
        assertThat(pay(kernel, sim, "20.00")).contains("Salary Card");
        assertThat(sim.balance("Daily Wallet")).isEqualTo(500);
        assertThat(sim.balance("Salary Card")).isEqualTo(30_000);
    }

    @Test
    void afterASelectorReinstallThePursesRejoinNewAndPayOnceTheHolderActivatesThem() {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).build();
        reinstallThenRejoinThenPay(kernel, sim);
    }

    @Test
    void withoutAContactSelectionAReinstalledSelectorKnowsNoPurse() {
        SimulatedSim sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).build();
        sim.reinstallSelector(false);
        // A tap selects nothing but the PPSE: the purses' contactless path never asks the selector anything.
        assertThat(pay(kernel, sim, "5.00")).isEmpty();
        assertThat(sim.holderSession().list()).isEmpty();
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500); // a contact SELECT: it rejoins here
        assertThat(sim.holderSession().list()).extracting(WalletCard::label).containsExactly("Daily Wallet");
    }
}
