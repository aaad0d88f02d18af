package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import nfcpay.card.Wire;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Consecutive MAC failures lock the purse; a MAC-authenticated date after expiry expires it (docs/protocol.md 3.2). */
class LockAndExpiryTest {

    private final PurseCard card = PurseCard.personalized(new CardSimulator());
    private PurseCard.State before;

    @BeforeEach
    void giveThePurseMoney() {
        card.load(5000);
        card.purchase(100);
        before = card.state();
    }

    @Test
    void aWrongMac1Is9302AndMovesNoMoney() {
        assertThat(card.purchase(100, PurseCard.DATE, true).sw()).isEqualTo(0x9302);
        assertThat(card.state()).isEqualTo(before);
    }

    @Test
    void aWrongMac2Is9302AndMovesNoMoney() {
        assertThat(card.load(100, PurseCard.DATE, true).sw()).isEqualTo(0x9302);
        assertThat(card.state()).isEqualTo(before);
    }

    @Test
    void theTenthConsecutiveFailureLocksForGoodButReconciliationStillWorks() {
        for (int i = 1; i < Wire.MAC_FAILURE_LIMIT; i++) {
            assertThat(i % 2 == 0 ? card.purchase(100, PurseCard.DATE, true).sw() : card.load(100, PurseCard.DATE, true).sw())
                    .as("failure %d", i).isEqualTo(0x9302);
        }
        assertThat(card.purchase(100, PurseCard.DATE, true).sw()).as("failure 10").isEqualTo(0x9303);

        assertThat(card.initializePurchase(100).sw()).isEqualTo(0x9303);
        assertThat(card.initializeLoad(100).sw()).isEqualTo(0x9303);
        card.select();
        assertThat(card.initializePurchase(100).sw()).as("still locked after a new selection").isEqualTo(0x9303);
        assertThat(card.send(0x80, 0x50, 0x01, 0x02, new byte[10], 16).getSW()).as("length first").isEqualTo(0x6700);

        assertThat(card.balance()).isEqualTo(before.balance());
        assertThat(card.readRecord(1).getBytes()).isEqualTo(PurseCard.HEX.parseHex(before.newestRecord()));
        assertThat(card.getTransactionProve(Wire.TRANSACTION_PURCHASE, 0).getSW()).isEqualTo(0x9000);
    }

    @Test
    void onALockedPurseADebitWithoutSessionIsStillOutOfSequence() {
        // Once locked, every INITIALIZE fails, so no session opens: 6901 comes before 9303 in the checks.
        for (int i = 0; i < Wire.MAC_FAILURE_LIMIT; i++) {
            card.purchase(1, PurseCard.DATE, true);
        }
        assertThat(card.initializePurchase(1).sw()).isEqualTo(0x9303);
        assertThat(card.send("80540100" + "0F" + "00".repeat(15) + "08").getSW()).isEqualTo(0x6901);
    }

    @Test
    void aGoodMacResetsTheConsecutiveCount() {
        for (int i = 1; i < Wire.MAC_FAILURE_LIMIT; i++) {
            assertThat(card.purchase(100, PurseCard.DATE, true).sw()).isEqualTo(0x9302);
        }
        assertThat(card.load(100).sw()).isEqualTo(0x9000);
        for (int i = 1; i < Wire.MAC_FAILURE_LIMIT; i++) {
            assertThat(card.load(100, PurseCard.DATE, true).sw()).as("failure %d after the reset", i).isEqualTo(0x9302);
        }
        assertThat(card.purchase(100).sw()).isEqualTo(0x9000);
        assertThat(card.balance()).isEqualTo(before.balance());
    }

    @Test
    void aPurchaseDatedAfterExpiryExpiresThePurse() {
        assertThat(card.purchase(100, "20310101", false).sw()).isEqualTo(0x6985);
        assertThat(card.initializePurchase(100).sw()).isEqualTo(0x6985);
        assertThat(card.initializeLoad(100).sw()).isEqualTo(0x6985);
        assertThat(card.balance()).isEqualTo(before.balance());
        assertThat(card.readRecord(1).getBytes()).isEqualTo(PurseCard.HEX.parseHex(before.newestRecord()));
    }

    @Test
    void aLoadDatedAfterExpiryExpiresThePurse() {
        assertThat(card.load(100, "20310101", false).sw()).isEqualTo(0x6985);
        card.select();
        assertThat(card.initializePurchase(100).sw()).isEqualTo(0x6985);
        assertThat(card.balance()).isEqualTo(before.balance());
    }

    @Test
    void theExpiryDateItselfIsStillValid() {
        assertThat(card.purchase(100, PurseCard.EXPIRY_DATE, false).sw()).isEqualTo(0x9000);
        assertThat(card.load(100, PurseCard.EXPIRY_DATE, false).sw()).isEqualTo(0x9000);
        assertThat(card.initializePurchase(100).sw()).isEqualTo(0x9000);
    }

    @Test
    void anUnauthenticatedDateExpiresNothing() {
        // The MAC is checked before the date: a forged late date is a MAC failure, not an expiry.
        PurseCard.Initialize init = card.initializePurchase(100);
        assertThat(card.debit(init, "20310101", true).sw()).isEqualTo(0x9302);
        assertThat(card.purchase(100).sw()).isEqualTo(0x9000);
    }
}
