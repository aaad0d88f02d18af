package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.CNY;
import static nfcpay.card.selector.SelectorFixture.HEX;
import static nfcpay.card.selector.SelectorFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import javacard.framework.AID;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET PROCESSING OPTIONS on the PPSE: smart selection (PROTOCOL.md 2.2, docs/protocol.md 2.3 and 4). */
class SelectorGpoTest {

    private static final String A = "F000000824010101";
    private static final String B = "F000000824010102";
    private static final String C = "F000000824010103";
    private static final String D = "F000000824010104";
    private static final String E = "F000000824010105";

    private static String hex(AID aid) {
        return aid == null ? null : HEX.formatHex(SelectorFixture.bytes(aid));
    }

    private static SelectorFixture oneApp() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 10_000);
        return card;
    }

    // ------------------------------------------------------------------ the status word table

    @Test
    void legacyPpseAnswers6D00() {
        SelectorFixture card = SelectorFixture.legacy();
        card.registeredApp(A, "A", 1, 10_000);
        assertThat(card.pay(100).getSW()).isEqualTo(0x6D00);
    }

    @Test
    void gpoWithTheIsoClassIsAnUnknownInstruction() {
        SelectorFixture card = oneApp();
        card.selectPpse();
        assertThat(card.transmit("00A800000F" + HEX.formatHex(SelectorFixture.gpoData("100", CNY, 0)) + "00").getSW())
                .isEqualTo(0x6D00);
    }

    @Test
    void p1p2OtherThan0000Answers6A86() {
        SelectorFixture card = oneApp();
        String data = HEX.formatHex(SelectorFixture.gpoData("100", CNY, 0));
        for (String p1p2 : new String[] {"0100", "0001", "FFFF"}) {
            card.selectPpse();
            assertThat(card.transmit("80A8" + p1p2 + "0F" + data + "00").getSW()).as(p1p2).isEqualTo(0x6A86);
        }
    }

    @Test
    void aSecondGpoInOneSelectionAnswers6985AndASelectRearms() {
        SelectorFixture card = oneApp();
        assertThat(card.pay(100).getSW()).isEqualTo(0x9000);
        assertThat(card.gpo(100, CNY).getSW()).isEqualTo(0x6985);
        assertThat(card.gpo(100, CNY).getSW()).isEqualTo(0x6985);
        assertThat(card.pay(100).getSW()).isEqualTo(0x9000);
    }

    @Test
    void aRejectedGpoAlsoSpendsTheSelection() {
        SelectorFixture card = oneApp();
        assertThat(card.pay(999_999).getSW()).isEqualTo(0x9401);
        assertThat(card.gpo(100, CNY).getSW()).isEqualTo(0x6985);
        card.selectPpse();
        assertThat(card.gpo(SelectorFixture.gpoData("100", CNY, 1)).getSW()).isEqualTo(0x6A81);
        assertThat(card.gpo(100, CNY).getSW()).isEqualTo(0x6985);
    }

    @ParameterizedTest
    @ValueSource(strings = {"80A80000", "80A8000000", "80A80000018300", "80A8000002830100"})
    void missingOrTruncatedDataAnswers6700(String apdu) {
        SelectorFixture card = oneApp();
        card.selectPpse();
        assertThat(card.transmit(apdu).getSW()).isEqualTo(0x6700);
    }

    @Test
    void lcThatDisagreesWithTheTemplateLengthAnswers6700() {
        SelectorFixture card = oneApp();
        byte[] data = SelectorFixture.gpoData("100", CNY, 0);
        // One byte short, one byte long, and a template length that says 0E over 15 bytes.
        card.selectPpse();
        assertThat(card.gpo(java.util.Arrays.copyOf(data, 14)).getSW()).isEqualTo(0x6700);
        card.selectPpse();
        assertThat(card.gpo(java.util.Arrays.copyOf(data, 16)).getSW()).isEqualTo(0x6700);
        data[1] = 0x0E;
        card.selectPpse();
        assertThat(card.gpo(data).getSW()).isEqualTo(0x6700);
        card.selectPpse();
        assertThat(card.transmit("80A8000001" + "83" + "00").getSW()).isEqualTo(0x6700);
    }

    @Test
    void malformedTemplateAnswers6A80() {
        SelectorFixture card = oneApp();
        byte[] wrongTag = SelectorFixture.gpoData("100", CNY, 0);
        wrongTag[0] = (byte) 0x84;
        card.selectPpse();
        assertThat(card.gpo(wrongTag).getSW()).isEqualTo(0x6A80);
        // 83 0C with 12 bytes: Lc agrees with the template, the template is not the PDOL's 13 bytes.
        byte[] shortTemplate = java.util.Arrays.copyOf(SelectorFixture.gpoData("100", CNY, 0), 14);
        shortTemplate[1] = 0x0C;
        card.selectPpse();
        assertThat(card.gpo(shortTemplate).getSW()).isEqualTo(0x6A80);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000000A", "A00000000000", "0000000000F0", "000000000000"})
    void nonBcdOrZeroAmountAnswers6A80(String amount) {
        SelectorFixture card = oneApp();
        byte[] data = SelectorFixture.gpoData("1", CNY, 0);
        System.arraycopy(HEX.parseHex(amount), 0, data, 2, 6);
        card.selectPpse();
        assertThat(card.gpo(data).getSW()).isEqualTo(0x6A80);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x015A, 0xA156, 0x01F6})
    void nonBcdCurrencyAnswers6A80(int currency) {
        SelectorFixture card = oneApp();
        card.selectPpse();
        assertThat(card.gpo(SelectorFixture.gpoData("100", currency, 0)).getSW()).isEqualTo(0x6A80);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x09, 0x20, 0xFF})
    void transactionTypeOtherThanPurchaseAnswers6A81(int type) {
        SelectorFixture card = oneApp();
        card.selectPpse();
        assertThat(card.gpo(SelectorFixture.gpoData("100", CNY, type)).getSW()).isEqualTo(0x6A81);
    }

    @Test
    void everyApplicationDeletedAfterTheSelectAnswers6A82() {
        SelectorFixture card = oneApp();
        assertThat(card.selectPpse().getSW()).isEqualTo(0x9000);
        card.sim.deleteApplet(SelectorFixture.aid(A));
        assertThat(card.gpo(100, CNY).getSW()).isEqualTo(0x6A82);
        assertThat(card.selectPpse().getSW()).isEqualTo(0x6A82);
    }

    @Test
    void nobodyCoveringTheAmountAnswers9401() {
        SelectorFixture card = oneApp();
        card.registeredApp(B, "B", 2, 20_000);
        assertThat(card.pay(20_001).getSW()).isEqualTo(0x9401);
        assertThat(card.pay(20_000).getSW()).isEqualTo(0x9000);
    }

    @Test
    void checksComeInTheDocumentedOrder() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "A", 1, 10);
        byte[] bad = SelectorFixture.gpoData("0", 0x0AAA, 0x55); // zero amount, bad currency, bad type
        bad[0] = (byte) 0x84;                                   // and not template 83
        card.selectPpse();
        // P1P2 first (and it leaves the GPO armed), then the length ...
        assertThat(card.transmit("80A801000F" + HEX.formatHex(bad) + "00").getSW()).isEqualTo(0x6A86);
        assertThat(card.transmit("80A8000001" + "84").getSW()).isEqualTo(0x6700);
        // ... but only while armed,
        assertThat(card.transmit("80A8000001" + "84").getSW()).isEqualTo(0x6985);
        // then the template, then the data,
        card.selectPpse();
        assertThat(card.gpo(bad).getSW()).isEqualTo(0x6A80);
        bad[0] = (byte) 0x83;
        card.selectPpse();
        assertThat(card.gpo(bad).getSW()).isEqualTo(0x6A80);
        // then the type, then the registry, and the funds last.
        card.selectPpse();
        card.sim.deleteApplet(a);
        assertThat(card.gpo(SelectorFixture.gpoData("999999999999", CNY, 0x55)).getSW()).isEqualTo(0x6A81);
        card.registeredApp(B, "B", 1, 10);
        card.selectPpse();
        card.sim.deleteApplet(SelectorFixture.aid(B));
        assertThat(card.gpo(SelectorFixture.gpoData("999999999999", CNY, 0)).getSW()).isEqualTo(0x6A82);
    }

    // ------------------------------------------------------------------ the answer

    @Test
    void answerIsTheChosenApplicationsDirectoryEntryAndNeverABalance() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "MY BANK", 3, 0x13572468L);
        ResponseAPDU r = card.pay(100);
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(r.getData())).isEqualTo("7716" + "4F08" + A + "5007" + HEX.formatHex("MY BANK".getBytes()) + "870103");
        assertThat(HEX.formatHex(r.getData())).doesNotContain("13572468");
    }

    @Test
    void noBalanceLeaksForAnyPolicyOrWallet() {
        for (byte policy = 0; policy < 4; policy++) {
            SelectorFixture card = SelectorFixture.smart(policy);
            card.registeredApp(A, "A", 1, 0x0A1B2C3DL);
            card.registeredApp(B, "B", 2, 0x0A1B2C3EL);
            for (int i = 0; i < 5; i++) {
                ResponseAPDU r = card.pay(100);
                assertThat(r.getSW()).isEqualTo(0x9000);
                String data = HEX.formatHex(r.getData());
                assertThat(data).doesNotContain("0A1B2C3D").doesNotContain("0A1B2C3E").doesNotContain("1B2C3");
                assertThat(Tlv.parse(r.getData()).childTags()).containsExactly(0x4F, 0x50, 0x87);
            }
        }
    }

    // ------------------------------------------------------------------ policies

    /** A 100 (p1), B 500 (p2), C 300 (p3), D 500 (p4), E 100 (p5). */
    private static SelectorFixture wallet(byte policy) {
        SelectorFixture card = SelectorFixture.smart(policy);
        card.registeredApp(A, "A", 1, 100);
        card.registeredApp(B, "B", 2, 500);
        card.registeredApp(C, "C", 3, 300);
        card.registeredApp(D, "D", 4, 500);
        card.registeredApp(E, "E", 5, 100);
        return card;
    }

    @Test
    void priorityPicksTheHighestPriorityThatCovers() {
        SelectorFixture card = wallet(Wire.POLICY_PRIORITY);
        assertThat(hex(card.chosen(50))).isEqualTo(A);
        assertThat(hex(card.chosen(100))).isEqualTo(A);
        assertThat(hex(card.chosen(101))).isEqualTo(B);
        assertThat(hex(card.chosen(500))).isEqualTo(B);
        assertThat(card.chosen(501)).isNull();
    }

    @Test
    void bestFitPicksTheSmallestBalanceThatCoversTiesByPriority() {
        SelectorFixture card = wallet(Wire.POLICY_BEST_FIT);
        assertThat(hex(card.chosen(50))).isEqualTo(A);   // A and E hold 100: A has priority
        assertThat(hex(card.chosen(101))).isEqualTo(C);  // 300 beats 500
        assertThat(hex(card.chosen(301))).isEqualTo(B);  // B and D hold 500: B has priority
        assertThat(card.chosen(501)).isNull();
    }

    @Test
    void mostFundsPicksTheLargestBalanceTiesByPriority() {
        SelectorFixture card = wallet(Wire.POLICY_MOST_FUNDS);
        assertThat(hex(card.chosen(1))).isEqualTo(B);    // B and D hold 500: B has priority
        assertThat(hex(card.chosen(500))).isEqualTo(B);
        card.balance(SelectorFixture.aid(D), 501);
        assertThat(hex(card.chosen(1))).isEqualTo(D);
        assertThat(card.chosen(502)).isNull();
    }

    @Test
    void equalPriorityAndBalanceFallBackToRegistrationOrder() {
        for (byte policy : new byte[] {Wire.POLICY_PRIORITY, Wire.POLICY_BEST_FIT, Wire.POLICY_MOST_FUNDS}) {
            SelectorFixture card = SelectorFixture.smart(policy);
            card.registeredApp(C, "C", 2, 700);
            card.registeredApp(A, "A", 2, 700);
            card.registeredApp(B, "B", 2, 700);
            assertThat(hex(card.chosen(10))).as("policy %d", policy).isEqualTo(C);
        }
    }

    @Test
    void anyPicksAtRandomAmongTheCoveringOnly() {
        SelectorFixture card = wallet(Wire.POLICY_ANY);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 120; i++) {
            picks.merge(hex(card.chosen(200)), 1, Integer::sum);
        }
        assertThat(picks.keySet()).containsExactlyInAnyOrder(B, C, D);
        assertThat(picks.values()).allSatisfy(n -> assertThat(n).isGreaterThan(10));
        assertThat(card.chosen(501)).isNull();
    }

    // ------------------------------------------------------------------ amounts and currency

    @Test
    void amountsUpToFfffffffAreConvertedExactly() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 0xFFFFFFFFL);
        card.registeredApp(B, "B", 2, 0xFFFFFFFFL);
        card.registeredApp(C, "C", 3, 1_234_567_890L);
        card.balance(SelectorFixture.aid(A), 0xFFFFFFFEL);
        assertThat(hex(card.chosen(4_294_967_295L))).isEqualTo(B);   // FFFFFFFF: only B
        assertThat(hex(card.chosen(4_294_967_294L))).isEqualTo(A);
        assertThat(card.chosen(4_294_967_296L)).isNull();              // above FFFFFFFF: nobody
        assertThat(card.chosen(999_999_999_999L)).isNull();
        card.balance(SelectorFixture.aid(A), 0);
        card.balance(SelectorFixture.aid(B), 0);
        assertThat(hex(card.chosen(1_234_567_890L))).isEqualTo(C);
        assertThat(card.chosen(1_234_567_891L)).isNull();
        assertThat(hex(card.chosen(1))).isEqualTo(C);
    }

    @Test
    void anotherCurrencyIsNeverChosen() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID dollars = card.registeredApp(A, "USD", 1, 1_000_000);
        card.account(dollars, Link.STATUS_ACTIVE, USD, 1_000_000);
        card.registeredApp(B, "CNY", 2, 1_000);
        assertThat(hex(card.chosen(500, CNY))).isEqualTo(B);
        assertThat(card.chosen(5_000, CNY)).isNull();
        assertThat(hex(card.chosen(5_000, USD))).isEqualTo(A);
        assertThat(card.chosen(5_000, 0x0978)).isNull();
    }

    @ParameterizedTest
    @ValueSource(bytes = {Link.STATUS_LOCKED, Link.STATUS_EXPIRED, 0x03, (byte) 0xFF})
    void aLockedExpiredOrUnknownStatusIsNeverChosen(byte status) {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_MOST_FUNDS);
        AID locked = card.registeredApp(A, "A", 1, 1_000_000);
        card.account(locked, status, CNY, 1_000_000);
        card.registeredApp(B, "B", 2, 1_000);
        assertThat(hex(card.chosen(500))).isEqualTo(B);
        assertThat(card.chosen(5_000)).isNull();
    }

    // ------------------------------------------------------------------ records that must not count

    @ParameterizedTest
    @ValueSource(bytes = {
        FakeCardApp.MODE_FLIP_CIPHERTEXT, FakeCardApp.MODE_WRONG_TAG, FakeCardApp.MODE_STALE,
        FakeCardApp.MODE_WRONG_CHALLENGE, FakeCardApp.MODE_ZERO, FakeCardApp.MODE_WRONG_VERSION,
        FakeCardApp.MODE_THROW, FakeCardApp.MODE_SHORT, FakeCardApp.MODE_THROW_CHECKED
    })
    void aBadRecordIsNeverChosen(byte mode) {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID rogue = card.registeredApp(A, "A", 1, 1_000_000);
        card.registeredApp(B, "B", 2, 1_000);
        assertThat(hex(card.chosen(500))).isEqualTo(A); // honest until now; gives STALE a record to replay
        card.mode(rogue, mode);
        assertThat(hex(card.chosen(500))).isEqualTo(B);
        assertThat(card.chosen(5_000)).isNull();
        card.mode(rogue, FakeCardApp.MODE_NORMAL);
        assertThat(hex(card.chosen(5_000))).isEqualTo(A);
    }

    @Test
    void aRecordUnderAnotherApplicationsCredentialIsNeverChosen() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "A", 1, 1_000);
        AID b = card.registeredApp(B, "B", 2, 1_000_000);
        card.putCredential(b, card.credential(a));
        assertThat(hex(card.chosen(500))).isEqualTo(A);
        assertThat(card.chosen(5_000)).isNull();
    }

    @Test
    void anApplicationThatLeavesATransactionOpenDoesNotBreakTheAnswer() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "A", 1, 1_000);
        card.mode(a, FakeCardApp.MODE_OPEN_TRANSACTION);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
    }

    @Test
    void anApplicationTryingToRegisterWhileAnsweringIsRefused() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "A", 1, 1_000);
        card.mode(a, FakeCardApp.MODE_REGISTER_WHILE_READ);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
        assertThat(card.directory()).containsExactly(A);
    }

    @Test
    void anInstalledButUnregisteredApplicationIsNeverAsked() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID stranger = card.app(A);
        card.putCredential(stranger, new byte[32]);
        card.account(stranger, Link.STATUS_ACTIVE, CNY, 1_000_000);
        card.registeredApp(B, "B", 2, 1_000);
        assertThat(card.directory()).containsExactly(B);
        assertThat(card.chosen(5_000)).isNull();
    }
}
