package nfcpay.card.purse;

import static nfcpay.card.purse.PurseCard.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;

/** READ RECORD of the cyclic log and GET TRANSACTION PROVE (docs/protocol.md 3.2, PROTOCOL.md 4 tearing). */
class TransactionLogTest {

    private static final String TID = HEX.formatHex(PurseCard.TERMINAL_ID);
    private static final String WHEN = PurseCard.DATE + PurseCard.TIME;

    private final PurseCard card = PurseCard.personalized(new CardSimulator());

    @Test
    void recordsCarryCounterNoOverdraftAmountTypeTerminalDateAndTimeNewestFirst() {
        card.load(0x1234);
        card.purchase(0x0100);
        assertThat(HEX.formatHex(record(1))).isEqualTo("0000" + "000000" + "00000100" + "06" + TID + WHEN);
        assertThat(HEX.formatHex(record(2))).isEqualTo("0000" + "000000" + "00001234" + "02" + TID + WHEN);
        card.purchase(0x0200);
        assertThat(HEX.formatHex(record(1))).isEqualTo("0001" + "000000" + "00000200" + "06" + TID + WHEN);
        assertThat(card.readRecord(3).getData()).hasSize(Wire.LOG_RECORD_LENGTH);
        assertThat(card.readRecord(4).getSW()).isEqualTo(0x6A83);
    }

    @Test
    void theLogKeepsTheLastTenRecordsInOrder() {
        card.load(100_000);
        for (int i = 1; i <= 13; i++) {
            assertThat(card.purchase(i).sw()).isEqualTo(0x9000);
        }
        // Purchases 4..13 (offline counters 3..12) remain; the load and purchases 1..3 are overwritten.
        for (int n = 1; n <= 10; n++) {
            int amount = 14 - n;
            assertThat(HEX.formatHex(record(n))).as("record %d", n).isEqualTo(
                    String.format("%04X000000%08X06", amount - 1, amount) + TID + WHEN);
        }
        assertThat(card.readRecord(11).getSW()).isEqualTo(0x6A83);
        assertThat(card.readRecord(0xFF).getSW()).isEqualTo(0x6A83);
    }

    @Test
    void readRecordChecksItsParameters() {
        card.load(10);
        assertThat(card.readRecord(0).getSW()).isEqualTo(0x6A86);
        assertThat(card.send(0x00, 0xB2, 0x01, 0x0C, 256).getSW()).as("P2 of another file").isEqualTo(0x6A86);
        assertThat(card.send(0x00, 0xB2, 0x01, 0xC4, new byte[] {0}, 256).getSW()).as("case 2: no data read").isEqualTo(0x9000);
        assertThat(card.readRecord(2).getSW()).isEqualTo(0x6A83);
        assertThat(card.readRecord(1).getSW()).isEqualTo(0x9000);
    }

    @Test
    void aFreshPurseHasNoRecords() {
        assertThat(card.readRecord(1).getSW()).isEqualTo(0x6A83);
    }

    @Test
    void theProofOfTheLastPurchaseIsItsMac2AndTac() {
        card.load(1000);
        PurseCard.Purchase purchase = card.purchase(250);
        ResponseAPDU proof = card.getTransactionProve(Wire.TRANSACTION_PURCHASE, purchase.init().counter());
        assertThat(proof.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(proof.getData()))
                .isEqualTo(HEX.formatHex(purchase.mac2()) + HEX.formatHex(purchase.tac()))
                .isEqualTo(HEX.formatHex(purchase.expectedMac2()) + HEX.formatHex(purchase.expectedTac()));
        assertThat(card.getTransactionProve(Wire.TRANSACTION_PURCHASE, purchase.init().counter() + 1).getSW())
                .isEqualTo(0x9406);
        assertThat(card.getTransactionProve(Wire.TRANSACTION_LOAD, purchase.init().counter() + 1).getSW())
                .as("the load proof has counter 0 but this asks for 1").isEqualTo(0x9406);
    }

    @Test
    void onlyTheLastPurchaseKeepsItsProof() {
        card.load(1000);
        PurseCard.Purchase first = card.purchase(1);
        PurseCard.Purchase second = card.purchase(2);
        assertThat(card.getTransactionProve(Wire.TRANSACTION_PURCHASE, first.init().counter()).getSW()).isEqualTo(0x9406);
        assertThat(HEX.formatHex(card.getTransactionProve(Wire.TRANSACTION_PURCHASE, second.init().counter()).getData()))
                .isEqualTo(HEX.formatHex(second.expectedMac2()) + HEX.formatHex(second.expectedTac()));
    }

    @Test
    void theProofOfTheLastLoadIsTheVerifiedMac2AndTheTac() {
        PurseCard.Load load = card.load(777);
        ResponseAPDU proof = card.getTransactionProve(Wire.TRANSACTION_LOAD, load.init().counter());
        assertThat(proof.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(proof.getData())).isEqualTo(HEX.formatHex(load.mac2()) + HEX.formatHex(load.expectedTac()));
        assertThat(card.getTransactionProve(Wire.TRANSACTION_PURCHASE, load.init().counter()).getSW())
                .as("no purchase yet").isEqualTo(0x9406);
        assertThat(card.getTransactionProve(Wire.TRANSACTION_LOAD, 1).getSW()).isEqualTo(0x9406);
    }

    @Test
    void aTornDebitIsRecoveredWithTheCounterOneBelowTheNextInitialize() {
        card.load(1000);
        PurseCard.Purchase lost = card.purchase(40);
        // The terminal never saw the DEBIT answer; on the next tap the counter tells it the debit happened.
        card.select();
        PurseCard.Initialize next = card.initializePurchase(1);
        assertThat(next.counter()).isEqualTo(lost.init().counter() + 1);
        ResponseAPDU proof = card.getTransactionProve(Wire.TRANSACTION_PURCHASE, next.counter() - 1);
        assertThat(HEX.formatHex(proof.getData())).isEqualTo(HEX.formatHex(lost.expectedMac2()) + HEX.formatHex(lost.expectedTac()));
    }

    @Test
    void getTransactionProveChecksItsParameters() {
        card.load(10);
        assertThat(card.send(0x80, 0x5A, 0x01, 0x02, new byte[2], 8).getSW()).isEqualTo(0x6A86);
        assertThat(card.send(0x80, 0x5A, 0x00, 0x00, new byte[2], 8).getSW()).isEqualTo(0x6A86);
        assertThat(card.send(0x80, 0x5A, 0x00, 0x03, new byte[2], 8).getSW()).isEqualTo(0x6A86);
        assertThat(card.send(0x80, 0x5A, 0x00, 0x02, new byte[1], 8).getSW()).isEqualTo(0x6700);
        assertThat(card.send(0x80, 0x5A, 0x00, 0x02, new byte[3], 8).getSW()).isEqualTo(0x6700);
        assertThat(card.send(0x80, 0x5A, 0x00, 0x02, 8).getSW()).isEqualTo(0x6700);
        assertThat(card.send(0x80, 0x5A, 0x00, 0x02, new byte[2], 8).getSW()).isEqualTo(0x9000);
    }

    private byte[] record(int n) {
        ResponseAPDU r = card.readRecord(n);
        assertThat(r.getSW()).as("READ RECORD %d", n).isEqualTo(0x9000);
        return r.getData();
    }
}
