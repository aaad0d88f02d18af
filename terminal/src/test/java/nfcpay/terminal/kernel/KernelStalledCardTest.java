package nfcpay.terminal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nfcpay.terminal.TerminalException;
import nfcpay.terminal.journal.Journal;
import nfcpay.terminal.journal.TransactionState;
import nfcpay.terminal.money.Money;
import nfcpay.terminal.testing.FakeWallet;
import nfcpay.terminal.testing.Fixtures;
import nfcpay.terminal.testing.StallingTransport;
import nfcpay.terminal.transport.BoundedTransport;
import nfcpay.terminal.transport.CardStalledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card that runs DEBIT and then never answers: the bounded transport gives it up, the sale ends
 * in one exception, and the PENDING record is settled by the card's proof on the next tap.
 */
class KernelStalledCardTest {

    /** SELECT PPSE, GPO, SELECT, INITIALIZE, DEBIT. */
    private static final int DEBIT = 4;

    @TempDir
    Path dir;

    @Test
    void aCardStalledAfterDebitLeavesThePurchasePendingAndTheNextTapRecoversIt() throws TerminalException {
        FakeWallet sim = new FakeWallet(false, 7).purse("Daily", 5_000);
        StallingTransport stalling = new StallingTransport(sim, DEBIT);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            try (BoundedTransport bounded = BoundedTransport.over(stalling, Duration.ofMillis(500))) {
                assertThatThrownBy(() -> kernel.purchase(bounded, Money.parse("12.34")))
                        .isInstanceOf(CardStalledException.class);
            } finally {
                stalling.release();
            }
            assertThat(sim.purse("Daily").balance).as("the card debited; its answer never came").isEqualTo(5_000 - 1_234);
            assertThat(journal.pending()).hasSize(1);

            sim.close();
            PurchaseResult next = kernel.purchase(sim, Money.parse("1.00"));

            assertThat(next.approved()).isTrue();
            assertThat(next.recoveries()).singleElement()
                    .satisfies(r -> assertThat(r.state()).isEqualTo(TransactionState.RECOVERED));
            assertThat(journal.pending()).isEmpty();
            assertThat(sim.purse("Daily").balance).as("debited once each").isEqualTo(5_000 - 1_234 - 100);
        }
    }

    /** The control: without the bound the same card holds the sale for as long as it likes. */
    @Test
    void withoutTheBoundTheSaleHangs() throws Exception {
        FakeWallet sim = new FakeWallet(false, 7).purse("Daily", 5_000);
        StallingTransport stalling = new StallingTransport(sim, DEBIT);
        try (Journal journal = Fixtures.journal(dir)) {
            Kernel kernel = Fixtures.kernel(journal);
            CompletableFuture<Object> sale = CompletableFuture.supplyAsync(() -> {
                try {
                    return kernel.purchase(stalling, Money.parse("12.34"));
                } catch (TerminalException e) {
                    return e;
                }
            });
            try {
                Thread.sleep(1_500);
                assertThat(sale).as("still waiting for the card after 1.5 s").isNotDone();
            } finally {
                stalling.release();
                sale.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
