package nfcpay.sim.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import javax.smartcardio.Card;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.SimAssembly;
import nfcpay.card.link.Link;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.wallet.HolderException.Refusal;
import org.junit.jupiter.api.Test;

/**
 * The holder's client against the simulated SIM: real selector, real purses, the holder commands of
 * docs/protocol.md 5, and payments (SELECT PPSE + GPO) that show what the holder changed.
 */
class HolderSessionTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final Currency CNY = Currency.getInstance("CNY");

    private static char[] pin() {
        return SimulatedSim.DEFAULT_HOLDER_PIN.toCharArray();
    }

    private static void assertWiped(char[] pin) {
        assertThat(new String(pin).chars()).as("wiped").allMatch(c -> c == 0);
    }

    private static HolderSession verified(SimulatedSim sim) {
        HolderSession session = sim.holderSession();
        session.verify(pin());
        return session;
    }

    private static List<String> labels(List<WalletCard> cards) {
        return cards.stream().map(WalletCard::label).toList();
    }

    /** SELECT PPSE and GPO for {@code amount} fen in CNY: the label smart selection picks, or null on 9401. */
    private static String pays(SimulatedSim sim, long amount) {
        var card = sim.cardSimulator();
        synchronized (card) {
            assertThat(card.transmitCommand(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256)).getSW()).isEqualTo(0x9000);
            byte[] data = HEX.parseHex("830D" + String.format("%012d", amount) + "0156" + "00" + "01020304");
            ResponseAPDU r = card.transmitCommand(new CommandAPDU(0x80, 0xA8, 0x00, 0x00, data, 256));
            if (r.getSW() == 0x9401) {
                return null;
            }
            assertThat(r.getSW()).isEqualTo(0x9000);
            byte[] template = r.getData();
            int labelAt = 2 + 2 + template[3] + 2; // 77 L 4F L <AID> 50 L <label>
            return new String(template, labelAt, template[labelAt - 1], StandardCharsets.US_ASCII);
        }
    }

    // ------------------------------------------------------------------ listing

    @Test
    void theListingShowsEveryCardInOrderWithBalancesOnlyAfterThePin() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = sim.holderSession();
        List<WalletCard> cards = session.list();
        assertThat(labels(cards)).containsExactly("Daily Wallet", "Salary Card", "Travel Card");
        assertThat(cards).allSatisfy(c -> {
            assertThat(c.active()).isTrue();
            assertThat(c.account()).isEqualTo(AccountStatus.ACTIVE);
            assertThat(c.currency()).contains(CNY);
            assertThat(c.balanceMinor()).isEmpty();
        });
        assertThat(cards).extracting(WalletCard::priority).containsExactly(1, 2, 3);
        assertThat(cards.get(0).aidHex()).isEqualTo(sim.cards().get(0).aidHex());

        session.verify(pin());
        assertThat(session.list()).extracting(WalletCard::balanceMinor)
                .containsExactly(OptionalLong.of(1_500), OptionalLong.of(32_000), OptionalLong.of(150_000));
        assertThat(session.find("Salary Card").balanceMinor()).hasValue(32_000);
        assertThat(session.find(sim.cards().get(2).aidHex().toLowerCase()).label()).isEqualTo("Travel Card");
        assertThat(sim.holderSession().list()).allSatisfy(c -> assertThat(c.balanceMinor()).isEmpty());
    }

    @Test
    void settingsCarryPolicyAndPinState() {
        SimulatedSim sim = SimulatedSim.builder().card("A", 100).policy(SelectionPolicy.BEST_FIT).build();
        HolderSession session = sim.holderSession();
        assertThat(session.settings()).isEqualTo(new WalletSettings(SelectionPolicy.BEST_FIT, 3, false, false));
        session.verify(pin());
        assertThat(session.settings().pinVerified()).isTrue();
    }

    // ------------------------------------------------------------------ changes and the next payment

    @Test
    void aNewOrderDecidesTheNextPayment() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        assertThat(pays(sim, 100)).isEqualTo("Daily Wallet");
        HolderSession session = verified(sim);
        session.order(List.of("Travel Card"));
        assertThat(labels(session.list())).containsExactly("Travel Card", "Daily Wallet", "Salary Card");
        assertThat(pays(sim, 100)).isEqualTo("Travel Card");

        session = verified(sim);
        session.order(List.of("Salary Card", "Daily Wallet", "Travel Card"));
        assertThat(pays(sim, 100)).isEqualTo("Salary Card");
        assertThat(pays(sim, 40_000)).isEqualTo("Travel Card");
    }

    @Test
    void aNewPolicyDecidesTheNextPayment() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = verified(sim);
        session.policy(SelectionPolicy.MOST_FUNDS);
        assertThat(session.settings().policy()).isEqualTo(SelectionPolicy.MOST_FUNDS);
        assertThat(pays(sim, 100)).isEqualTo("Travel Card");
        session = verified(sim);
        session.policy(SelectionPolicy.BEST_FIT);
        assertThat(pays(sim, 2_000)).isEqualTo("Salary Card");
        assertThat(sim.policy()).as("the install-time policy").isEqualTo(SelectionPolicy.PRIORITY);
    }

    @Test
    void aDeactivatedCardSitsOutAndComesBackWithItsRecordsStillVerifying() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = verified(sim);
        session.deactivate("Daily Wallet");
        assertThat(session.find("Daily Wallet").active()).isFalse();
        assertThat(pays(sim, 100)).isEqualTo("Salary Card");

        session = verified(sim);
        session.activate("Daily Wallet");
        WalletCard daily = session.find("Daily Wallet");
        assertThat(daily.active()).isTrue();
        assertThat(daily.account()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(daily.balanceMinor()).as("its record opens under the credential it kept").hasValue(1_500);
        assertThat(pays(sim, 100)).isEqualTo("Daily Wallet");
    }

    @Test
    void theLastActiveCardCannotBeDeactivated() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = verified(sim);
        session.deactivate("Daily Wallet");
        session.deactivate("Salary Card");
        assertThatThrownBy(() -> session.deactivate("Travel Card"))
                .isInstanceOfSatisfying(HolderException.class, e -> {
                    assertThat(e.sw()).isEqualTo(0x6985);
                    assertThat(e.refusal()).isEqualTo(Refusal.LAST_ACTIVE_CARD);
                });
        assertThat(pays(sim, 100)).isEqualTo("Travel Card");
    }

    // ------------------------------------------------------------------ PIN

    @Test
    void wrongPinsCountDownToABlockedPinAndEveryPinIsWiped() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = sim.holderSession();
        for (int left = 2; left >= 0; left--) {
            char[] wrong = "0000".toCharArray();
            int expected = left;
            assertThatThrownBy(() -> session.verify(wrong))
                    .isInstanceOfSatisfying(WrongPinException.class, e -> {
                        assertThat(e.triesLeft()).isEqualTo(expected);
                        assertThat(e.sw()).isEqualTo(0x63C0 | expected);
                    });
            assertWiped(wrong);
        }
        char[] right = pin();
        assertThatThrownBy(() -> session.verify(right))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.PIN_BLOCKED));
        assertWiped(right);
        assertThat(session.settings().pinBlocked()).isTrue();
        assertThat(pays(sim, 100)).as("paying needs no holder PIN").isEqualTo("Daily Wallet");
    }

    @Test
    void changesWithoutThePinAreRefusedAndNothingChanges() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = sim.holderSession();
        assertThatThrownBy(() -> session.policy(SelectionPolicy.ANY))
                .isInstanceOfSatisfying(HolderException.class, e -> {
                    assertThat(e.sw()).isEqualTo(0x6982);
                    assertThat(e.refusal()).isEqualTo(Refusal.PIN_REQUIRED);
                });
        assertThatThrownBy(() -> session.order(List.of("Travel Card")))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.PIN_REQUIRED));
        assertThatThrownBy(() -> session.deactivate("Daily Wallet"))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.PIN_REQUIRED));
        assertThat(pays(sim, 100)).isEqualTo("Daily Wallet");
    }

    @Test
    void changePinReplacesThePinAndWipesBoth() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = sim.holderSession();
        char[] oldPin = pin();
        char[] newPin = "86420".toCharArray();
        session.changePin(oldPin, newPin);
        assertWiped(oldPin);
        assertWiped(newPin);
        session.policy(SelectionPolicy.MOST_FUNDS);

        HolderSession next = sim.holderSession();
        assertThatThrownBy(() -> next.verify(pin())).isInstanceOf(WrongPinException.class);
        next.verify("86420".toCharArray());
        assertThat(next.settings().pinTriesLeft()).isEqualTo(3);
    }

    @Test
    void aTransportPinMustBeChangedFirst() {
        SimulatedSim sim = SimulatedSim.builder().card("A", 100).card("B", 200).transportPin().build();
        HolderSession session = sim.holderSession();
        assertThat(session.settings().transportPin()).isTrue();
        session.verify("1234".toCharArray());
        assertThatThrownBy(() -> session.deactivate("A"))
                .isInstanceOfSatisfying(HolderException.class, e -> {
                    assertThat(e.sw()).isEqualTo(0x6984);
                    assertThat(e.refusal()).isEqualTo(Refusal.TRANSPORT_PIN);
                });
        // Nothing could approve the cards yet: they are new, and the SIM pays with none.
        assertThat(session.list()).allSatisfy(c -> assertThat(c.isNew() && !c.active()).isTrue());
        session.changePin("1234".toCharArray(), "97531".toCharArray());
        assertThat(session.settings().transportPin()).isFalse();
        session.activate("A");
        session.activate("B");
        assertThat(session.list()).noneSatisfy(c -> assertThat(c.isNew()).isTrue());
        session.deactivate("A");
        assertThat(pays(sim, 100)).isEqualTo("B");
    }

    @Test
    void malformedPinsNeverReachTheCardAndAreWipedToo() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = sim.holderSession();
        for (String bad : new String[] {"123", "123456789", "12a4", ""}) {
            char[] chars = bad.toCharArray();
            assertThatThrownBy(() -> session.verify(chars)).isInstanceOf(IllegalArgumentException.class);
            assertWiped(chars);
        }
        char[] good = pin();
        char[] bad = "12".toCharArray();
        assertThatThrownBy(() -> session.changePin(good, bad)).isInstanceOf(IllegalArgumentException.class);
        assertWiped(good);
        assertWiped(bad);
        assertThat(session.settings().pinTriesLeft()).isEqualTo(3);
    }

    @Test
    void anUnknownLabelIsRefusedByTheClient() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = verified(sim);
        assertThatThrownBy(() -> session.deactivate("Gold Card")).isInstanceOf(NoSuchCardException.class);
        assertThatThrownBy(() -> session.order(List.of("Travel Card", "F0000008240101FF")))
                .isInstanceOf(NoSuchCardException.class);
        assertThat(labels(session.list())).containsExactly("Daily Wallet", "Salary Card", "Travel Card");
    }

    // ------------------------------------------------------------------ interfaces

    @Test
    void overAContactlessConnectionEveryHolderCommandIsRefusedAndOverContactServed() throws Exception {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        Card field = sim.terminal().connect("T=CL");
        try {
            HolderSession session = HolderSession.open(field.getBasicChannel());
            assertThatThrownBy(session::list).isInstanceOfSatisfying(HolderException.class,
                    e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTACTLESS));
            assertThatThrownBy(() -> session.verify(pin())).isInstanceOfSatisfying(HolderException.class,
                    e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTACTLESS));
            assertThatThrownBy(() -> session.policy(SelectionPolicy.ANY)).isInstanceOfSatisfying(HolderException.class,
                    e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTACTLESS));
        } finally {
            field.disconnect(false);
        }
        Card contact = sim.terminal().connect("T=1");
        try {
            HolderSession session = HolderSession.open(contact.getBasicChannel());
            session.verify(pin());
            assertThat(session.settings().pinTriesLeft()).as("no try was spent over contactless").isEqualTo(3);
            session.policy(SelectionPolicy.MOST_FUNDS);
            assertThat(session.list()).hasSize(3);
        } finally {
            contact.disconnect(false);
        }
        assertThat(pays(sim, 100)).isEqualTo("Travel Card");
    }

    // ------------------------------------------------------------------ cards come and go

    @Test
    void anAddedCardJoinsTheEndAndTheOthersKeepBalancesAndOrder() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = verified(sim);
        session.order(List.of("Travel Card", "Salary Card", "Daily Wallet"));

        var gift = sim.addCard("Gift Card", 500_000);
        assertThat(gift.aidHex()).isEqualTo("F000000824010104");
        HolderSession after = verified(sim);
        List<WalletCard> cards = after.list();
        assertThat(labels(cards)).containsExactly("Travel Card", "Salary Card", "Daily Wallet", "Gift Card");
        assertThat(cards).extracting(WalletCard::priority).containsExactly(1, 2, 3, 4);
        assertThat(cards).extracting(WalletCard::balanceMinor).containsExactly(OptionalLong.of(150_000),
                OptionalLong.of(32_000), OptionalLong.of(1_500), OptionalLong.of(500_000));
        assertThat(pays(sim, 100)).isEqualTo("Travel Card");
        assertThat(pays(sim, 200_000)).as("only the new card covers it").isEqualTo("Gift Card");
        assertThat(sim.cards()).extracting(c -> c.label()).containsExactly("Daily Wallet", "Salary Card", "Travel Card", "Gift Card");
    }

    @Test
    void aRemovedCardLeavesWithItsCredentialAndTheOthersKeepBalancesAndOrder() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        HolderSession session = verified(sim);
        session.order(List.of("Travel Card"));
        sim.removeCard("Salary Card");

        List<WalletCard> cards = verified(sim).list();
        assertThat(labels(cards)).containsExactly("Travel Card", "Daily Wallet");
        assertThat(cards).extracting(WalletCard::balanceMinor).containsExactly(OptionalLong.of(150_000), OptionalLong.of(1_500));
        assertThat(pays(sim, 2_500)).isEqualTo("Travel Card");
        assertThat(sim.card("Salary Card")).isEmpty();
        assertThatThrownBy(() -> sim.removeCard("Salary Card")).isInstanceOf(IllegalArgumentException.class);

        // A card added later never takes the deleted one's AID: jcardsim (like a careful issuer) does not reuse it.
        assertThat(sim.addCard("New Card", 10).aidHex()).isEqualTo("F000000824010104");
        assertThat(labels(sim.holderSession().list())).containsExactly("Travel Card", "Daily Wallet", "New Card");
    }

    @Test
    void removingEveryCardLeavesAnEmptyWalletThatStillOpens() {
        SimulatedSim sim = SimulatedSim.builder().card("Only", 100).build();
        sim.removeCard("Only");
        HolderSession session = sim.holderSession();
        assertThat(session.list()).isEmpty();
        session.verify(pin());
        sim.addCard("Again", 300);
        assertThat(labels(sim.holderSession().list())).containsExactly("Again");
        assertThat(pays(sim, 300)).isEqualTo("Again");
    }

    @Test
    void addCardRefusesWhatTheSimCannotHold() {
        SimulatedSim sim = SimulatedSim.defaultWallet();
        assertThatThrownBy(() -> sim.addCard("Daily Wallet", 1)).hasMessageContaining("already");
        assertThatThrownBy(() -> sim.addCard("", 1)).hasMessageContaining("label");
        assertThatThrownBy(() -> sim.addCard("X", -1)).hasMessageContaining("balance");
        for (int i = 4; i <= SimulatedSim.MAX_CARDS; i++) {
            sim.addCard("Card " + i, 0);
        }
        assertThatThrownBy(() -> sim.addCard("One Too Many", 1)).hasMessageContaining("at most 16");
        assertThat(sim.holderSession().list()).hasSize(16);
    }

    // ------------------------------------------------------------------ the client's reading of status words

    /** A transport that answers SELECT with 9000 and every other command with {@code sw}. */
    private static HolderSession scripted(int sw, int getDataSw) {
        return HolderSession.open(command -> {
            int ins = command[1] & 0xFF;
            int answer = ins == 0xA4 ? 0x9000 : ins == 0xCA ? getDataSw : sw;
            return new byte[] {(byte) (answer >> 8), (byte) answer};
        });
    }

    @Test
    void statusWordsBecomeRefusals() {
        assertThatThrownBy(() -> scripted(0x6A88, 0x9000).policy(SelectionPolicy.ANY))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_CARD));
        assertThatThrownBy(() -> scripted(0x6985, 0x9000).policy(SelectionPolicy.ANY))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.REJECTED));
        assertThatThrownBy(() -> scripted(0x6982, 0x9000).policy(SelectionPolicy.ANY))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.PIN_REQUIRED));
        assertThatThrownBy(() -> scripted(0x6982, 0x6982).policy(SelectionPolicy.ANY))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.CONTACTLESS));
        assertThatThrownBy(() -> scripted(0x6A86, 0x9000).verify(pin()))
                .isInstanceOfSatisfying(HolderException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.REJECTED);
                    assertThat(e.sw()).isEqualTo(0x6A86);
                    assertThat(e.getMessage()).contains("6A86");
                });
        assertThatThrownBy(() -> HolderSession.open(command -> new byte[] {0x6A, (byte) 0x82}))
                .isInstanceOfSatisfying(HolderException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.REJECTED));
    }
}
