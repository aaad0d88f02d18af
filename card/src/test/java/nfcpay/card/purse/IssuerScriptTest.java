package nfcpay.card.purse;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.security.SecureRandom;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JR/T 0025 issuer scripts on the purse (docs/protocol.md 3.6): GET CHALLENGE, APPLICATION BLOCK (temporary or
 * permanent) and APPLICATION UNBLOCK, MAC'd under the card's maintenance key DAMK with the challenge as IV.
 */
class IssuerScriptTest {

    private static final int BLOCK = Wire.INS_APPLICATION_BLOCK & 0xFF;
    private static final int UNBLOCK = Wire.INS_APPLICATION_UNBLOCK & 0xFF;
    private static final int TEMPORARY = Wire.P2_BLOCK_TEMPORARY;
    private static final int PERMANENT = Wire.P2_BLOCK_PERMANENT;

    private final CardSimulator sim = new CardSimulator();
    private final PurseCard card = PurseCard.personalized(sim);
    private PurseCard.State before;

    @BeforeEach
    void giveThePurseMoney() {
        card.load(5000);
        card.purchase(100);
        before = card.state();
    }

    @Test
    void getChallengeAnswersFourFreshBytes() {
        ResponseAPDU a = card.getChallenge();
        ResponseAPDU b = card.getChallenge();
        assertThat(a.getSW()).isEqualTo(0x9000);
        assertThat(a.getData()).hasSize(4);
        assertThat(b.getData()).isNotEqualTo(a.getData());
    }

    @Test
    void aTemporaryBlockStopsPaymentsUntilTheIssuerUnblocks() {
        assertThat(card.issuerScript(BLOCK, TEMPORARY)).isEqualTo(0x9000);

        ResponseAPDU select = card.select();
        assertThat(select.getSW()).as("SELECT of a blocked application").isEqualTo(0x6283);
        assertThat(select.getData()[0]).as("its FCI still comes, for the serial").isEqualTo((byte) 0x6F);
        assertThat(card.initializePurchase(100).sw()).isEqualTo(0x6A81);
        assertThat(card.initializeLoad(100).sw()).isEqualTo(0x6A81);
        assertThat(card.balance()).isEqualTo(before.balance());
        assertThat(card.getTransactionProve(Wire.TRANSACTION_PURCHASE, 0).getSW()).isEqualTo(0x9000);

        assertThat(card.issuerScript(UNBLOCK, 0)).isEqualTo(0x9000);
        assertThat(card.select().getSW()).isEqualTo(0x9000);
        assertThat(card.purchase(100).sw()).isEqualTo(0x9000);
        assertThat(card.balance()).isEqualTo(before.balance() - 100);
    }

    @Test
    void aPermanentBlockIsNotUndone() {
        assertThat(card.issuerScript(BLOCK, PERMANENT)).isEqualTo(0x9000);
        assertThat(card.select().getSW()).isEqualTo(0x9303);
        assertThat(card.initializePurchase(100).sw()).isEqualTo(0x9303);
        assertThat(card.issuerScript(UNBLOCK, 0)).as("UNBLOCK after a permanent block").isEqualTo(0x9303);
        assertThat(card.issuerScript(BLOCK, TEMPORARY)).as("nor turned into a temporary one").isEqualTo(0x9303);
        assertThat(card.select().getSW()).isEqualTo(0x9303);
        assertThat(card.balance()).as("reconciliation still works").isEqualTo(before.balance());
    }

    /** The attack of issue 14 item 1: SELECT, then ten INITIALIZE for 1 fen + DEBIT with a random MAC1. */
    @Test
    void theTwentyOneApduLockIsNowRecoverableByUnblock() {
        SecureRandom random = new SecureRandom();
        int apdus = 1;
        card.select();
        int last = 0;
        for (int i = 0; i < Wire.MAC_FAILURE_LIMIT; i++) {
            assertThat(card.initializePurchase(1).sw()).isEqualTo(0x9000);
            byte[] debit = new byte[15];
            random.nextBytes(debit);
            last = card.send(0x80, 0x54, 0x01, 0x00, debit, 8).getSW();
            apdus += 2;
        }
        assertThat(apdus).isEqualTo(21);
        assertThat(last).isEqualTo(0x9303);
        assertThat(card.initializePurchase(100).sw()).as("locked").isEqualTo(0x9303);

        assertThat(card.issuerScript(UNBLOCK, 0)).isEqualTo(0x9000);
        assertThat(card.purchase(100).sw()).isEqualTo(0x9000);
        assertThat(card.balance()).isEqualTo(before.balance() - 100);
        // The count went with the lock: nine more wrong MAC1s do not lock again.
        for (int i = 1; i < Wire.MAC_FAILURE_LIMIT; i++) {
            assertThat(card.purchase(1, PurseCard.DATE, true).sw()).isEqualTo(0x9302);
        }
        assertThat(card.purchase(1).sw()).isEqualTo(0x9000);
    }

    @Test
    void aWrongMacIs6988AndChangesNothing() {
        byte[] challenge = card.getChallenge().getData();
        byte[] mac = card.scriptMac(BLOCK, TEMPORARY, challenge);
        mac[3] ^= 1;
        assertThat(card.scriptWithMac(BLOCK, TEMPORARY, mac).getSW()).isEqualTo(0x6988);
        assertThat(card.select().getSW()).isEqualTo(0x9000);
        assertThat(card.state()).isEqualTo(before);
    }

    @Test
    void aBlockMacIsNoUnblockMac() {
        card.issuerScript(BLOCK, TEMPORARY);
        byte[] challenge = card.getChallenge().getData();
        assertThat(card.scriptWithMac(UNBLOCK, 0, card.scriptMac(BLOCK, TEMPORARY, challenge)).getSW()).isEqualTo(0x6988);
        assertThat(card.select().getSW()).isEqualTo(0x6283);
    }

    @Test
    void aReplayedScriptIsRefused() {
        card.issuerScript(BLOCK, TEMPORARY);
        byte[] challenge = card.getChallenge().getData();
        byte[] unblock = card.scriptMac(UNBLOCK, 0, challenge);
        assertThat(card.scriptWithMac(UNBLOCK, 0, unblock).getSW()).isEqualTo(0x9000);
        card.issuerScript(BLOCK, TEMPORARY);
        assertThat(card.scriptWithMac(UNBLOCK, 0, unblock).getSW()).as("same APDU again, no challenge").isEqualTo(0x6984);
        card.getChallenge();
        assertThat(card.scriptWithMac(UNBLOCK, 0, unblock).getSW()).as("same APDU under a new challenge").isEqualTo(0x6988);
        assertThat(card.select().getSW()).isEqualTo(0x6283);
    }

    @Test
    void aChallengeIsSpentByAFailureAndByAnyOtherCommand() {
        card.issuerScript(BLOCK, TEMPORARY);
        byte[] challenge = card.getChallenge().getData();
        byte[] good = card.scriptMac(UNBLOCK, 0, challenge);
        byte[] bad = good.clone();
        bad[0] ^= 1;
        assertThat(card.scriptWithMac(UNBLOCK, 0, bad).getSW()).isEqualTo(0x6988);
        assertThat(card.scriptWithMac(UNBLOCK, 0, good).getSW()).as("spent by the failure").isEqualTo(0x6984);

        challenge = card.getChallenge().getData();
        card.getBalanceCommand();
        assertThat(card.script(UNBLOCK, 0, challenge).getSW()).as("spent by GET BALANCE").isEqualTo(0x6984);

        challenge = card.getChallenge().getData();
        card.send(0x84, UNBLOCK, 0x00, 0x01, card.scriptMac(UNBLOCK, 0, challenge), 0);
        assertThat(card.script(UNBLOCK, 0, challenge).getSW()).as("spent by a malformed command").isEqualTo(0x6984);

        challenge = card.getChallenge().getData();
        card.select();
        assertThat(card.script(UNBLOCK, 0, challenge).getSW()).as("spent by a new selection").isEqualTo(0x6984);
    }

    @Test
    void withoutAChallengeAScriptIs6984() {
        assertThat(card.scriptWithMac(BLOCK, TEMPORARY, new byte[4]).getSW()).isEqualTo(0x6984);
        assertThat(card.select().getSW()).isEqualTo(0x9000);
    }

    @Test
    void tenWrongMacsRetireTheMaintenanceKeyButNotThePurse() {
        for (int i = 1; i <= Wire.SCRIPT_FAILURE_LIMIT; i++) {
            card.getChallenge();
            assertThat(card.scriptWithMac(UNBLOCK, 0, new byte[4]).getSW()).as("failure %d", i)
                    .isEqualTo(i < Wire.SCRIPT_FAILURE_LIMIT ? 0x6988 : 0x6983);
        }
        assertThat(card.issuerScript(BLOCK, TEMPORARY)).as("even the right MAC").isEqualTo(0x6983);
        assertThat(card.select().getSW()).isEqualTo(0x9000);
        assertThat(card.purchase(100).sw()).as("the purse still pays").isEqualTo(0x9000);
    }

    @Test
    void aRightMacResetsTheScriptFailureCount() {
        for (int i = 1; i < Wire.SCRIPT_FAILURE_LIMIT; i++) {
            card.getChallenge();
            assertThat(card.scriptWithMac(UNBLOCK, 0, new byte[4]).getSW()).isEqualTo(0x6988);
        }
        assertThat(card.issuerScript(UNBLOCK, 0)).isEqualTo(0x9000);
        for (int i = 1; i < Wire.SCRIPT_FAILURE_LIMIT; i++) {
            card.getChallenge();
            assertThat(card.scriptWithMac(UNBLOCK, 0, new byte[4]).getSW()).as("failure %d after the reset", i)
                    .isEqualTo(0x6988);
        }
        assertThat(card.issuerScript(BLOCK, TEMPORARY)).isEqualTo(0x9000);
    }

    @Test
    void overAContactlessInterfaceScriptsAre6982AndCostNothing() {
        card.issuerScript(BLOCK, TEMPORARY);
        sim.changeProtocol("T=CL,TYPE_A,T1");
        for (int i = 0; i < Wire.SCRIPT_FAILURE_LIMIT + 2; i++) {
            card.getChallenge();
            assertThat(card.scriptWithMac(UNBLOCK, 0, new byte[4]).getSW()).isEqualTo(0x6982);
        }
        assertThat(card.issuerScript(UNBLOCK, 0)).as("nor with the right MAC").isEqualTo(0x6982);
        sim.changeProtocol("T=1");
        assertThat(card.issuerScript(UNBLOCK, 0)).as("no try was spent").isEqualTo(0x9000);
    }

    @Test
    void malformedScriptsGetDefinedStatusWordsAndChangeNothing() {
        byte[] mac = new byte[4];
        String[][] cases = {
            {"841E000204", "6A86"}, {"841E010004", "6A86"}, {"8418000104", "6A86"}, {"8418010004", "6A86"},
            {"841E000003", "6700"}, {"841E000005", "6700"}, {"8418000000", "6700"}, {"8418000008", "6700"},
            {"801E000004", "6D00"}, {"0018000004", "6D00"}, {"8450010204", "6D00"}, {"84A4040004", "6D00"},
            {"8084000004", "6D00"}, {"0084010004", "6A86"}, {"0084000104", "6A86"}, {"8C18000004", "6E00"},
        };
        for (String[] c : cases) {
            card.getChallenge();
            byte[] header = PurseCard.HEX.parseHex(c[0]);
            int lc = header[4] & 0xFF;
            byte[] apdu = PurseCard.concat(header, new byte[lc]);
            ResponseAPDU r = sim.transmitCommand(new CommandAPDU(apdu));
            assertThat(Integer.toHexString(r.getSW())).as(c[0]).isEqualToIgnoringCase(c[1]);
        }
        // Header only, no data at all.
        card.getChallenge();
        assertThat(sim.transmitCommand(new CommandAPDU(PurseCard.HEX.parseHex("841E0000"))).getSW()).isEqualTo(0x6700);
        assertThat(card.select().getSW()).isEqualTo(0x9000);
        assertThat(card.state()).isEqualTo(before);
        // None of them spent a try: nine wrong MACs still leave the right one working.
        for (int i = 1; i < Wire.SCRIPT_FAILURE_LIMIT; i++) {
            card.getChallenge();
            card.scriptWithMac(BLOCK, TEMPORARY, mac);
        }
        assertThat(card.issuerScript(BLOCK, TEMPORARY)).isEqualTo(0x9000);
    }

    @Test
    void aPurseWithoutAMaintenanceKeyRefusesScripts() {
        PurseCard other = PurseCard.install(sim, "F000000824010102");
        byte[] dgis = other.dgis();
        other.personalize(java.util.Arrays.copyOf(dgis, dgis.length - (3 + Wire.KEY_DGI_LENGTH)));
        assertThat(other.issuerScript(BLOCK, TEMPORARY)).isEqualTo(0x6985);
        assertThat(other.issuerScript(UNBLOCK, 0)).isEqualTo(0x6985);
    }

    @Test
    void anUnpersonalizedPurseRefusesScripts() {
        PurseCard fresh = PurseCard.install(sim, "F000000824010103");
        fresh.select();
        // No challenge either: before personalization its bytes belong to the personalization session.
        assertThat(fresh.getChallenge().getSW()).isEqualTo(0x6985);
        assertThat(fresh.scriptWithMac(UNBLOCK, 0, new byte[4]).getSW()).isEqualTo(0x6985);
    }
}
