package nfcpay.card.purse;

import static nfcpay.card.purse.PurseCard.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;

/** Load and purchase good paths with the card's MACs and TACs checked against PbocCrypto (PROTOCOL.md 3.3). */
class PurchaseAndLoadTest {

    private final PurseCard card = PurseCard.personalized(new CardSimulator());

    @Test
    void initializeForLoadAnswersBalanceCounterKeyVersionAlgorithmRandomAndTheRightMac1() {
        PurseCard.Initialize init = card.initializeLoad(1000);
        assertThat(init.sw()).isEqualTo(0x9000);
        assertThat(init.response().getData()).hasSize(16);
        assertThat(init.balance()).isZero();
        assertThat(init.counter()).isZero();
        assertThat(init.keyVersion()).isEqualTo(PurseCard.KEY_VERSION);
        assertThat(init.algorithm()).isEqualTo(Wire.ALGORITHM_DES);
        PurseCard.Load load = card.credit(init, PurseCard.DATE, false);
        assertThat(HEX.formatHex(init.mac1())).isEqualTo(HEX.formatHex(load.expectedMac1()));
    }

    @Test
    void creditForLoadAnswersTheTacOverTheNewBalanceAndTheCounterBeforeIncrement() {
        PurseCard.Load load = card.load(1000);
        assertThat(load.sw()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(load.tac())).isEqualTo(HEX.formatHex(load.expectedTac()));
        assertThat(card.balance()).isEqualTo(1000);

        PurseCard.Load second = card.load(234);
        assertThat(second.init().balance()).isEqualTo(1000);
        assertThat(second.init().counter()).isEqualTo(1);
        assertThat(HEX.formatHex(second.tac())).isEqualTo(HEX.formatHex(second.expectedTac()));
        assertThat(card.balance()).isEqualTo(1234);
        assertThat(card.initializeLoad(1).counter()).isEqualTo(2);
    }

    @Test
    void initializeForPurchaseAnswersBalanceCounterNoOverdraftKeyVersionAlgorithmAndRandom() {
        card.load(5000);
        PurseCard.Initialize init = card.initializePurchase(300);
        assertThat(init.sw()).isEqualTo(0x9000);
        assertThat(init.response().getData()).hasSize(15);
        assertThat(init.balance()).isEqualTo(5000);
        assertThat(init.counter()).isZero();
        assertThat(HEX.formatHex(init.response().getData()).substring(12, 18)).isEqualTo("000000");
        assertThat(init.keyVersion()).isEqualTo(PurseCard.KEY_VERSION);
        assertThat(init.algorithm()).isEqualTo(Wire.ALGORITHM_DES);
    }

    @Test
    void debitForPurchaseAnswersTacThenMac2AndMovesTheMoney() {
        card.load(5000);
        PurseCard.Purchase first = card.purchase(300);
        assertThat(first.sw()).isEqualTo(0x9000);
        assertThat(first.debit().getData()).hasSize(8);
        assertThat(HEX.formatHex(first.mac2())).isEqualTo(HEX.formatHex(first.expectedMac2()));
        assertThat(HEX.formatHex(first.tac())).isEqualTo(HEX.formatHex(first.expectedTac()));
        assertThat(card.balance()).isEqualTo(4700);

        PurseCard.Purchase second = card.purchase(4700);
        assertThat(second.init().counter()).isEqualTo(1);
        assertThat(second.init().balance()).isEqualTo(4700);
        assertThat(HEX.formatHex(second.mac2())).isEqualTo(HEX.formatHex(second.expectedMac2()));
        assertThat(HEX.formatHex(second.tac())).isEqualTo(HEX.formatHex(second.expectedTac()));
        assertThat(card.balance()).isZero();
        // Purchases and loads count separately.
        assertThat(card.initializeLoad(1).counter()).isEqualTo(1);
        assertThat(card.initializePurchase(1).sw()).isEqualTo(0x9401);
    }

    @Test
    void everyInitializeDrawsAFreshRandom() {
        card.load(100);
        String a = HEX.formatHex(card.initializePurchase(1).random());
        String b = HEX.formatHex(card.initializePurchase(1).random());
        String c = HEX.formatHex(card.initializeLoad(1).random());
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void aPurchaseAboveTheBalanceIsRefusedAtInitialize() {
        card.load(500);
        PurseCard.State before = card.state();
        assertThat(card.initializePurchase(501).sw()).isEqualTo(0x9401);
        assertThat(card.state()).isEqualTo(before);
        assertThat(card.purchase(500).sw()).isEqualTo(0x9000);
    }

    @Test
    void aLoadAboveTheMaximumBalanceIsRefusedAtInitialize() {
        card.load(PurseCard.MAX_BALANCE - 100);
        PurseCard.State before = card.state();
        assertThat(card.initializeLoad(101).sw()).isEqualTo(0x6985);
        assertThat(card.initializeLoad(0xFFFFFFFFL).sw()).as("sum overflows 32 bits").isEqualTo(0x6985);
        assertThat(card.state()).isEqualTo(before);
        assertThat(card.load(100).sw()).isEqualTo(0x9000);
        assertThat(card.balance()).isEqualTo(PurseCard.MAX_BALANCE);
    }

    @Test
    void amountsAbove2To31StayUnsigned() {
        CardSimulator sim = new CardSimulator();
        PurseCard big = PurseCard.install(sim);
        big.personalize(big.dgis(PurseCard.issuerData(PurseCard.START_DATE, PurseCard.EXPIRY_DATE, PurseCard.CURRENCY),
                0xFFFFFFFFL));
        PurseCard.Load load = big.load(0xFFFFFFF0L);
        assertThat(HEX.formatHex(load.tac())).isEqualTo(HEX.formatHex(load.expectedTac()));
        assertThat(big.balance()).isEqualTo(0xFFFFFFF0L);
        assertThat(big.initializeLoad(0x0F).sw()).isEqualTo(0x9000);
        assertThat(big.initializeLoad(0x10).sw()).as("one above 2^32 - 1").isEqualTo(0x6985);
        PurseCard.Purchase purchase = big.purchase(0x80000001L);
        assertThat(HEX.formatHex(purchase.tac())).isEqualTo(HEX.formatHex(purchase.expectedTac()));
        assertThat(big.balance()).isEqualTo(0x7FFFFFEFL);
        assertThat(big.initializePurchase(0x7FFFFFF0L).sw()).isEqualTo(0x9401);
    }

    @Test
    void zeroAmountAndUnknownKeyIndexAreRefusedForBothKinds() {
        card.load(500);
        PurseCard.State before = card.state();
        for (int p1 : new int[] {0x00, 0x01}) {
            assertThat(card.send(0x80, 0x50, p1, 0x02, HEX.parseHex("0100000000001122334455"), 16).getSW())
                    .as("amount 0, P1 %02X", p1).isEqualTo(0x6A80);
            assertThat(card.send(0x80, 0x50, p1, 0x02, HEX.parseHex("0200000001001122334455"), 16).getSW())
                    .as("key index 02, P1 %02X", p1).isEqualTo(0x9403);
            assertThat(card.send(0x80, 0x50, p1, 0x02, HEX.parseHex("0000000000001122334455"), 16).getSW())
                    .as("key index is checked before the amount").isEqualTo(0x9403);
        }
        assertThat(card.state()).isEqualTo(before);
    }

    @Test
    void theResponseLengthIgnoresLe() {
        card.load(500);
        assertThat(card.send(0x80, 0x5C, 0x00, 0x02, 2).getData()).hasSize(4);
        assertThat(card.send(0x80, 0x5C, 0x00, 0x02, 0).getData()).hasSize(4);
        assertThat(card.send(0x80, 0x50, 0x01, 0x02, HEX.parseHex("0100000001001122334455"), 0).getData()).hasSize(15);
    }
}
