package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import org.junit.jupiter.api.Test;

/**
 * A 2-byte transaction counter must never wrap: at FFFF the purse refuses a new transaction (6985)
 * instead of reusing counter values that key the session MACs and the proofs. Reaching it takes
 * 65,535 real transactions through the card; each one is a full INITIALIZE + CREDIT with MACs.
 */
class CounterExhaustionTest {

    @Test
    void theOnlineCounterStopsAtFfffAndChangesNothingMore() {
        PurseCard card = PurseCard.personalized(new CardSimulator());
        card.select();
        for (int i = 0; i < 0xFFFF; i++) {
            PurseCard.Load load = card.load(1);
            if (load.sw() != 0x9000) {
                throw new AssertionError("load " + i + " answered " + Integer.toHexString(load.sw()));
            }
        }
        PurseCard.State before = card.state();
        assertThat(before.balance()).isEqualTo(0xFFFF);
        assertThat(before.onlineCounter()).as("INITIALIZE FOR LOAD refused").isEqualTo(-1);
        // the last load that happened used counter FFFE: loads 0000..FFFE, then the counter sits at FFFF
        assertThat(before.newestRecord()).startsWith("FFFE");

        assertThat(card.initializeLoad(1).response().getSW()).isEqualTo(0x6985);
        assertThat(card.state()).isEqualTo(before);
        // purchases count on the other counter and still work
        assertThat(card.purchase(1).sw()).isEqualTo(0x9000);
    }
}
