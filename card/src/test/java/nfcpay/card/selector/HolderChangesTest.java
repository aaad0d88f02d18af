package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javacard.framework.AID;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import org.junit.jupiter.api.Test;

/**
 * The holder's changes (docs/protocol.md 5.4 to 5.6): order, policy, activation, each visible in the next
 * SELECT PPSE and GET PROCESSING OPTIONS, each refused without the PIN.
 */
class HolderChangesTest {

    private static final String A = "F000000824010101";
    private static final String B = "F000000824010102";
    private static final String C = "F000000824010103";
    private static final String D = "F000000824010104";

    private static String hex(AID aid) {
        return aid == null ? null : HEX.formatHex(SelectorFixture.bytes(aid));
    }

    /** A 1,000 (priority 1), B 5,000 (2), C 20,000 (3). */
    private static SelectorFixture wallet(byte policy) {
        SelectorFixture card = SelectorFixture.holder(policy);
        card.registeredApp(A, "A", 1, 1_000);
        card.registeredApp(B, "B", 2, 5_000);
        card.registeredApp(C, "C", 3, 20_000);
        return card;
    }

    private static List<Integer> priorities(SelectorFixture card) {
        List<Integer> out = new ArrayList<>();
        for (Tlv entry : Tlv.parse(card.fci()).child(0xA5).child(0xBF0C).children()) {
            out.add((int) entry.child(0x87).value()[0]);
        }
        return out;
    }

    // ------------------------------------------------------------------ order

    @Test
    void aNewOrderRenumbersThePrioritiesAndShowsInTheNextSelectAndGpo() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
        card.holderSession();
        assertThat(card.setOrder(C, A, B).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(C, A, B);
        assertThat(priorities(card)).containsExactly(1, 2, 3);
        assertThat(hex(card.chosen(500))).isEqualTo(C);
        assertThat(hex(card.chosen(10_000))).isEqualTo(C);
        card.sim.reset();
        assertThat(card.directory()).as("persistent").containsExactly(C, A, B);
    }

    @Test
    void aShortListPutsTheListedFirstAndTheRestFollowInTheirOrder() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.registeredApp(D, "D", 9, 0);
        card.holderSession();
        assertThat(card.setOrder(C).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(C, A, B, D);
        card.holderSession();
        assertThat(card.setOrder(D, B).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(D, B, C, A);
        assertThat(priorities(card)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void deactivatedApplicationsTakePartInTheOrder() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.holderSession();
        assertThat(card.setStatus(A, false).getSW()).isEqualTo(0x9000);
        assertThat(card.setOrder(B, A, C).getSW()).isEqualTo(0x9000);
        assertThat(card.setStatus(A, true).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(B, A, C);
    }

    @Test
    void badOrdersChangeNothing() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.selectForHolder();
        assertThat(card.setOrder(C, B, A).getSW()).as("no PIN").isEqualTo(0x6982);
        card.holderSession();
        assertThat(card.setOrder(C, D).getSW()).as("unknown AID").isEqualTo(0x6A88);
        assertThat(card.setOrder(C, B, C).getSW()).as("listed twice").isEqualTo(0x6A80);
        assertThat(card.setOrder("F0000008").getSW()).as("AID too short").isEqualTo(0x6A80);
        assertThat(card.setOrder(A + "0102030405060708090A").getSW()).as("AID too long").isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF4, 0, 0, HEX.parseHex("4F08" + C + "50"))).getSW())
                .as("trailing byte").isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF4, 0, 0, HEX.parseHex("4F09" + C))).getSW())
                .as("length past the data").isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF4, 0, 0, HEX.parseHex("5008" + C))).getSW())
                .as("not tag 4F").isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF4, 0, 0)).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF4, 0, 1, HEX.parseHex("4F08" + C))).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0xF4, 0, 0, HEX.parseHex("4F08" + C))).getSW()).isEqualTo(0x6D00);
        assertThat(card.directory()).containsExactly(A, B, C);
    }

    @Test
    void sixteenApplicationsKeepTheHolderOrderAlthoughPrioritiesStopAtFifteen() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        List<String> aids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            aids.add(String.format("F0000008240102%02X", i));
            card.registeredApp(aids.get(i), "APP " + i, 1, 0);
        }
        List<String> reversed = new ArrayList<>(aids);
        java.util.Collections.reverse(reversed);
        card.holderSession();
        assertThat(card.setOrder(reversed.toArray(String[]::new)).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactlyElementsOf(reversed);
        List<Integer> expected = new ArrayList<>();
        for (int p = 1; p <= 15; p++) {
            expected.add(p);
        }
        expected.add(15);
        assertThat(priorities(card)).containsExactlyElementsOf(expected);
    }

    // ------------------------------------------------------------------ registration after the holder's order

    @Test
    void beforeAHolderOrderARegistrationKeepsItsIssuerPriorityAfterItJoinsTheEnd() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.registeredApp(D, "D", 1, 50_000);
        assertThat(card.directory()).as("issuer priorities rule").containsExactly(A, D, B, C);

        SelectorFixture ordered = wallet(Wire.POLICY_PRIORITY);
        ordered.holderSession();
        assertThat(ordered.setOrder(B, A, C).getSW()).isEqualTo(0x9000);
        AID d = ordered.registeredApp(D, "D", 1, 50_000);
        assertThat(ordered.directory()).containsExactly(B, A, C, D);
        assertThat(priorities(ordered)).containsExactly(1, 2, 3, 4);
        // Re-registration (re-keying) starts new again: out until the holder activates it, then still at the end.
        assertThat(ordered.register(d, "D AGAIN", 1).getSW()).isEqualTo(0x9000);
        assertThat(ordered.directory()).containsExactly(B, A, C);
        ordered.activate(d);
        assertThat(ordered.directory()).containsExactly(B, A, C, D);
        assertThat(hex(ordered.chosen(30_000))).isEqualTo(D);
    }

    @Test
    void aDeletedApplicationLeavesTheOthersInTheirOrderAndANewOneJoinsTheEnd() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.holderSession();
        assertThat(card.setOrder(C, B, A).getSW()).isEqualTo(0x9000);
        card.sim.deleteApplet(SelectorFixture.aid(B));
        assertThat(card.directory()).containsExactly(C, A);
        card.holderSession();
        assertThat(card.setStatus(B, false).getSW()).isEqualTo(0x6A88);
        assertThat(card.setOrder(B, A).getSW()).isEqualTo(0x6A88);
        // A newly installed application is a stranger until it registers, then joins the end with priority 3.
        AID d = card.app(D);
        assertThat(card.directory()).containsExactly(C, A);
        assertThat(card.register(d, "D", 1).getSW()).isEqualTo(0x9000);
        card.activate(d);
        card.balance(d, 90_000);
        assertThat(card.directory()).containsExactly(C, A, D);
        assertThat(priorities(card)).containsExactly(1, 3, 4);
        assertThat(hex(card.chosen(50_000))).isEqualTo(D);
        assertThat(hex(card.chosen(500))).isEqualTo(C);
    }

    // ------------------------------------------------------------------ policy

    @Test
    void thePolicyChangesTheNextGpoAndStays() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
        card.holderSession();
        assertThat(card.setPolicy(Wire.POLICY_MOST_FUNDS).getSW()).isEqualTo(0x9000);
        assertThat(hex(card.chosen(500))).isEqualTo(C);
        card.holderSession();
        assertThat(card.setPolicy(Wire.POLICY_BEST_FIT).getSW()).isEqualTo(0x9000);
        assertThat(hex(card.chosen(2_000))).isEqualTo(B);
        card.sim.reset();
        assertThat(hex(card.chosen(2_000))).as("persistent").isEqualTo(B);
        card.selectForHolder();
        assertThat(card.settings().child(0xC4).value()).containsExactly(Wire.POLICY_BEST_FIT);
        card.holderSession();
        assertThat(card.setPolicy(Wire.POLICY_PRIORITY).getSW()).isEqualTo(0x9000);
        assertThat(hex(card.chosen(2_000))).isEqualTo(B);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
    }

    @Test
    void aBadPolicyOrNoPinChangesNothing() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.selectForHolder();
        assertThat(card.setPolicy(Wire.POLICY_MOST_FUNDS).getSW()).isEqualTo(0x6982);
        card.holderSession();
        assertThat(card.setPolicy(4).getSW()).isEqualTo(0x6A86);
        assertThat(card.setPolicy(0xFF).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF6, 0x02, 0x01)).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF6, 0x02, 0x00, new byte[1])).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0xF6, 0x02, 0x00)).getSW()).isEqualTo(0x6D00);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
    }

    // ------------------------------------------------------------------ activation

    @Test
    void aDeactivatedApplicationLeavesPpseAndGpoAtOnceAndReturnsWithItsCredential() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        AID a = SelectorFixture.aid(A);
        byte[] credential = card.credential(a);
        card.holderSession();
        assertThat(card.setStatus(A, false).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(B, C);
        assertThat(hex(card.chosen(500))).isEqualTo(B);
        assertThat(card.chosen(30_000)).isNull();

        card.holderSession();
        assertThat(card.setStatus(A, false).getSW()).as("already deactivated").isEqualTo(0x9000);
        assertThat(card.setStatus(A, true).getSW()).isEqualTo(0x9000);
        assertThat(card.setStatus(A, true).getSW()).as("already active").isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(A, B, C);
        assertThat(priorities(card)).containsExactly(1, 2, 3);
        // Same credential, and its records verify again: it pays.
        assertThat(card.credential(a)).isEqualTo(credential);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
    }

    @Test
    void theLastActiveApplicationCannotBeDeactivated() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.holderSession();
        assertThat(card.setStatus(A, false).getSW()).isEqualTo(0x9000);
        assertThat(card.setStatus(B, false).getSW()).isEqualTo(0x9000);
        assertThat(card.setStatus(C, false).getSW()).isEqualTo(0x6985);
        assertThat(card.directory()).containsExactly(C);
        assertThat(hex(card.chosen(500))).isEqualTo(C);
        card.holderSession();
        assertThat(card.setStatus(A, false).getSW()).as("an already deactivated one is no trouble").isEqualTo(0x9000);
        assertThat(card.setStatus(B, true).getSW()).isEqualTo(0x9000);
        assertThat(card.setStatus(C, false).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(B);
    }

    @Test
    void reRegistrationDoesNotUndoADeactivation() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.holderSession();
        assertThat(card.setStatus(A, false).getSW()).isEqualTo(0x9000);
        assertThat(card.register(SelectorFixture.aid(A), "A", 1).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(B, C);
    }

    @Test
    void activationRefusals() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        card.selectForHolder();
        assertThat(card.setStatus(A, false).getSW()).as("no PIN").isEqualTo(0x6982);
        card.holderSession();
        assertThat(card.setStatus(D, false).getSW()).as("unknown").isEqualTo(0x6A88);
        assertThat(card.setStatus("F000", false).getSW()).as("AID too short").isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF0, 0x01, 0x02, HEX.parseHex("4F08" + A))).getSW())
                .isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF0, 0x80, 0x00, HEX.parseHex("4F08" + A))).getSW())
                .as("Amd C's non-activatable or other P1 values").isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF0, 0x01, 0x00, HEX.parseHex("4F09" + A))).getSW())
                .isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF0, 0x01, 0x00, HEX.parseHex("4F"))).getSW())
                .isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF0, 0x01, 0x00, HEX.parseHex("4E08" + A))).getSW())
                .isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0xF0, 0x01, 0x00, HEX.parseHex("4F08" + A))).getSW())
                .isEqualTo(0x6D00);
        assertThat(card.directory()).containsExactly(A, B, C);
    }
}
