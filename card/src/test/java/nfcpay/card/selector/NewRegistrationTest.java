package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import javacard.framework.AID;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 3: registration proves only that the caller is itself, so a registration starts new, inactive and
 * last, and only the holder (PIN, contact interface) brings it into the PPSE and smart selection
 * (docs/protocol.md 2.4, 5.3, 5.4). Each test fails on the selector that activated every first registration.
 */
class NewRegistrationTest {

    private static final String DAILY = "F000000824010101";
    private static final String ROGUE = "F0000000AA000001";

    /** The holder's Daily Wallet, active, then a rogue that claims its label, priority 1 and FFFFFFFF. */
    private static SelectorFixture walletWithRogue(byte policy) {
        SelectorFixture card = SelectorFixture.holder(policy);
        card.registeredApp(DAILY, "Daily Wallet", 1, 1_000);
        AID rogue = card.app(ROGUE);
        assertThat(card.register(rogue, "Daily Wallet", 1).getSW()).isEqualTo(0x9000);
        card.account(rogue, Link.STATUS_ACTIVE, SelectorFixture.CNY, 0xFFFFFFFFL);
        return card;
    }

    private static Tlv entry(SelectorFixture card, String aid) {
        card.selectForHolder();
        return card.listing().stream().filter(e -> HEX.formatHex(e.child(0x4F).value()).equals(aid)).findFirst()
                .orElseThrow();
    }

    private static boolean isNew(Tlv entry) {
        return entry.children().stream().anyMatch(c -> c.tag() == (Wire.TAG_HOLDER_NEW & 0xFF));
    }

    @Test
    void aRogueRegistrantIsNeitherListedNorChosenUntilTheHolderActivatesIt() {
        for (byte policy : new byte[] {Wire.POLICY_PRIORITY, Wire.POLICY_MOST_FUNDS, Wire.POLICY_BEST_FIT}) {
            SelectorFixture card = walletWithRogue(policy);
            assertThat(card.directory()).as("policy %d", policy).containsExactly(DAILY);
            assertThat(HEX.formatHex(SelectorFixture.bytes(card.chosen(500)))).isEqualTo(DAILY);
            // Above what the holder's card holds: the rogue's FFFFFFFF is never even asked for.
            assertThat(card.selectPpse().getSW()).isEqualTo(0x9000);
            assertThat(card.gpo(5_000, SelectorFixture.CNY).getSW()).isEqualTo(0x9401);
        }
    }

    @Test
    void aNewRegistrationIsListedLastInactiveAndNewWithThePriorityAfterTheLast() {
        SelectorFixture card = walletWithRogue(Wire.POLICY_PRIORITY);
        card.selectForHolder();
        assertThat(card.listed()).containsExactly(DAILY, ROGUE);
        Tlv rogue = entry(card, ROGUE);
        // 61 { 4F 50 87 | 9F70 02 07 00 | C3 01 01 | C1 ... }: deactivated for Amd C, and new.
        assertThat(rogue.child(0x87).value()).containsExactly(2);
        assertThat(rogue.child(0x9F70).value()).containsExactly(0x07, 0x00);
        assertThat(rogue.child(0xC3).value()).containsExactly(0x01);
        assertThat(isNew(entry(card, DAILY))).isFalse();
        assertThat(entry(card, DAILY).child(0x9F70).value()).containsExactly(0x07, 0x01);
    }

    @Test
    void theNewEntryDocumentedInProtocolMdByteForByte() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp("F000000824010109", "Other", 1, 0);
        AID daily = card.app(DAILY);
        assertThat(card.register(daily, "Daily Wallet", 1).getSW()).isEqualTo(0x9000);
        card.balance(daily, 1_500);
        card.holderSession();
        String entry = "6131" + "4F08F000000824010101" + "500C4461696C792057616C6C6574" + "870102" + "9F70020700"
                + "C30101" + "C10100" + "9F42020156" + "C204000005DC";
        assertThat(HEX.formatHex(card.sim.transmitCommand(HEX.parseHex("80F240000A4F08" + DAILY + "00"))))
                .isEqualTo(entry + "9000");
    }

    @Test
    void activationNeedsTheVerifiedPinAndTheContactInterface() {
        SelectorFixture card = walletWithRogue(Wire.POLICY_PRIORITY);
        card.selectForHolder();
        assertThat(card.setStatus(ROGUE, true).getSW()).as("no PIN").isEqualTo(0x6982);
        assertThat(card.verify("1357").getSW()).isEqualTo(0x63C2);
        assertThat(card.setStatus(ROGUE, true).getSW()).as("wrong PIN").isEqualTo(0x6982);
        for (String protocol : new String[] {"T=CL,TYPE_A,T1", "T=CL,TYPE_B,T1"}) {
            card.sim.changeProtocol("T=0");
            card.holderSession();
            card.sim.changeProtocol(protocol);
            assertThat(card.setStatus(ROGUE, true).getSW()).as(protocol).isEqualTo(0x6982);
        }
        card.sim.changeProtocol("T=0");
        assertThat(card.directory()).containsExactly(DAILY);
        assertThat(isNew(entry(card, ROGUE))).isTrue();

        card.holderSession();
        assertThat(card.setStatus(ROGUE, true).getSW()).isEqualTo(0x9000);
        assertThat(isNew(entry(card, ROGUE))).isFalse();
        // Its registration's priority (1) is a hint taken at this first activation: it ties with Daily Wallet,
        // which registered first.
        assertThat(card.directory()).containsExactly(DAILY, ROGUE);
        assertThat(entry(card, ROGUE).child(0x87).value()).containsExactly(1);
    }

    @Test
    void aNewCardDeclinedByTheHolderIsDeactivatedNotNew() {
        SelectorFixture card = walletWithRogue(Wire.POLICY_PRIORITY);
        card.holderSession();
        assertThat(card.setStatus(ROGUE, false).getSW()).isEqualTo(0x9000);
        Tlv rogue = entry(card, ROGUE);
        assertThat(isNew(rogue)).isFalse();
        assertThat(rogue.child(0x9F70).value()).containsExactly(0x07, 0x00);
        // Activated later, a declined card no longer takes its registration's priority: it stays last.
        card.holderSession();
        assertThat(card.setStatus(ROGUE, true).getSW()).isEqualTo(0x9000);
        assertThat(card.directory()).containsExactly(DAILY, ROGUE);
        assertThat(entry(card, ROGUE).child(0x87).value()).containsExactly(2);
    }

    @Test
    void aNewCardStaysBehindEveryApprovedOneWhateverItsNumberAndKeepsTheHolderOrderOnceSet() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(DAILY, "Daily Wallet", 3, 1_000);
        AID second = card.app("F000000824010102");
        assertThat(card.register(second, "Second", 1).getSW()).isEqualTo(0x9000);
        AID third = card.app("F000000824010103");
        assertThat(card.register(third, "Third", 1).getSW()).isEqualTo(0x9000);
        card.activate(third);
        // Third (now priority 1) comes first; Second, still new, comes after every approved card.
        card.selectForHolder();
        assertThat(card.listed()).containsExactly("F000000824010103", DAILY, "F000000824010102");

        card.holderSession();
        assertThat(card.setOrder(DAILY).getSW()).isEqualTo(0x9000);
        card.activate(second);
        // Once the holder has an order, a new card's own priority is ignored: activated, it stays at the end.
        assertThat(card.directory()).containsExactly(DAILY, "F000000824010103", "F000000824010102");
    }
}
