package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javacard.framework.AID;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import org.junit.jupiter.api.Test;

/** GET STATUS, the holder's listing (docs/protocol.md 5.3), and GET DATA A5 (5.7). */
class HolderListingTest {

    private static final String A = "F000000824010101";
    private static final String B = "F000000824010102";
    private static final String C = "F000000824010103";

    private static String label(Tlv entry) {
        return new String(entry.child(0x50).value(), StandardCharsets.US_ASCII);
    }

    private static String hex(Tlv entry, int tag) {
        return HEX.formatHex(entry.child(tag).value());
    }

    @Test
    void everyApplicationInPriorityOrderWithStatusAndCurrencyButNoBalanceWithoutThePin() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "DAILY", 2, 1_500);
        card.registeredApp(B, "SALARY", 1, 32_000);
        AID c = card.registeredApp(C, "DOLLARS", 3, 99_000);
        card.account(c, Link.STATUS_ACTIVE, SelectorFixture.USD, 99_000);
        card.selectForHolder();

        List<Tlv> entries = card.listing();
        assertThat(entries).extracting(Tlv::tag).containsOnly(0x61);
        assertThat(entries).extracting(HolderListingTest::label).containsExactly("SALARY", "DAILY", "DOLLARS");
        Tlv salary = entries.get(0);
        assertThat(salary.childTags()).containsExactly(0x4F, 0x50, 0x87, 0x9F70, 0xC1, 0x9F42);
        assertThat(hex(salary, 0x4F)).isEqualTo(B);
        assertThat(hex(salary, 0x87)).isEqualTo("01");
        assertThat(hex(salary, 0x9F70)).isEqualTo("0701");
        assertThat(hex(salary, 0xC1)).isEqualTo("00");
        assertThat(hex(salary, 0x9F42)).isEqualTo("0156");
        assertThat(hex(entries.get(2), 0x9F42)).isEqualTo("0840");
        // The listing's head is the PPSE directory entry, byte for byte.
        byte[] directoryEntry = Tlv.parse(card.fci()).child(0xA5).child(0xBF0C).children().get(0).value();
        card.selectForHolder();
        byte[] listed = card.listing().get(0).value();
        assertThat(java.util.Arrays.copyOf(listed, directoryEntry.length)).isEqualTo(directoryEntry);
        assertThat(HEX.formatHex(card.getStatus(0, new byte[0]).getData())).doesNotContain("00007D00");
    }

    @Test
    void afterVerifyTheListingCarriesEachBalanceUntilTheSessionEnds() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 1_500);
        card.registeredApp(B, "B", 2, 0xFFFFFFFFL);
        card.holderSession();
        List<Tlv> entries = card.listing();
        assertThat(entries.get(0).childTags()).containsExactly(0x4F, 0x50, 0x87, 0x9F70, 0xC1, 0x9F42, 0xC2);
        assertThat(hex(entries.get(0), 0xC2)).isEqualTo("000005DC");
        assertThat(hex(entries.get(1), 0xC2)).isEqualTo("FFFFFFFF");

        card.selectForHolder();
        assertThat(card.listing()).allSatisfy(e -> assertThat(e.childTags()).doesNotContain(0xC2));
    }

    @Test
    void lockedExpiredAndUnreadableApplicationsAreListedWithTheirStatus() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "LOCKED", 1, 1_000);
        AID b = card.registeredApp(B, "EXPIRED", 2, 1_000);
        AID c = card.registeredApp(C, "FORGED", 3, 1_000);
        card.account(a, Link.STATUS_LOCKED, SelectorFixture.CNY, 1_000);
        card.account(b, Link.STATUS_EXPIRED, SelectorFixture.CNY, 1_000);
        card.mode(c, FakeCardApp.MODE_WRONG_TAG);
        card.holderSession();
        List<Tlv> entries = card.listing();
        assertThat(entries).extracting(e -> hex(e, 0xC1)).containsExactly("01", "02", "FF");
        // A record that does not authenticate says nothing: no currency, no balance.
        assertThat(entries.get(2).childTags()).containsExactly(0x4F, 0x50, 0x87, 0x9F70, 0xC1);
        assertThat(entries.get(0).childTags()).contains(0xC2);

        // An authentic record first (which MODE_STALE will replay), then every way of failing.
        card.mode(c, FakeCardApp.MODE_NORMAL);
        card.selectForHolder();
        assertThat(hex(card.listing().get(2), 0xC1)).isEqualTo("00");
        for (byte mode : new byte[] {FakeCardApp.MODE_STALE, FakeCardApp.MODE_WRONG_CHALLENGE, FakeCardApp.MODE_THROW,
            FakeCardApp.MODE_ZERO, FakeCardApp.MODE_SHORT, FakeCardApp.MODE_WRONG_VERSION, FakeCardApp.MODE_FLIP_CIPHERTEXT}) {
            card.mode(c, mode);
            card.selectForHolder();
            assertThat(hex(card.listing().get(2), 0xC1)).as("mode %d", mode).isEqualTo("FF");
        }
    }

    @Test
    void sixteenApplicationsComeInPagesOfWholeEntriesWith6310() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        for (int i = 0; i < 16; i++) {
            card.registeredApp(String.format("F0000008240101010203040506070A%02X", i), "SIXTEEN BYTES %02d".formatted(i).substring(0, 16),
                    1 + i % 15, 1_000 + i);
        }
        card.holderSession();
        int pages = 0;
        int entries = 0;
        ResponseAPDU r = card.getStatus(0x00, new byte[0]);
        while (true) {
            pages++;
            assertThat(r.getData().length).isLessThanOrEqualTo(256);
            List<Tlv> page = Tlv.parseAll(r.getData());
            assertThat(page).isNotEmpty().allSatisfy(e -> assertThat(e.value()).hasSize(58));
            entries += page.size();
            if (r.getSW() != 0x6310) {
                break;
            }
            r = card.getStatus(0x01, new byte[0]);
        }
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(entries).isEqualTo(16);
        assertThat(pages).isEqualTo(4);
        assertThat(card.getStatus(0x01, new byte[0]).getSW()).as("nothing left to fetch").isEqualTo(0x6985);
    }

    @Test
    void aNextWithoutAListingInProgressAnswers6985AndAnyOtherCommandEndsTheListing() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        // 35-byte entries: a page takes entries while a largest one (60) still fits, six here.
        for (int i = 0; i < 8; i++) {
            card.registeredApp(String.format("F0000008240101%02X", i), "APP " + i, 1 + i, 0);
        }
        card.selectForHolder();
        assertThat(card.getStatus(0x01, new byte[0]).getSW()).isEqualTo(0x6985);
        assertThat(card.getStatus(0x00, new byte[0]).getSW()).isEqualTo(0x6310);
        assertThat(card.pinState().getSW()).isEqualTo(0x63C3);
        assertThat(card.getStatus(0x01, new byte[0]).getSW()).isEqualTo(0x6985);
        // A new first request starts over.
        ResponseAPDU first = card.getStatus(0x00, new byte[0]);
        assertThat(first.getSW()).isEqualTo(0x6310);
        ResponseAPDU again = card.getStatus(0x00, new byte[0]);
        assertThat(again.getData()).isEqualTo(first.getData());
        assertThat(Tlv.parseAll(card.getStatus(0x01, new byte[0]).getData())).hasSize(2);
    }

    @Test
    void theAidQualifierSelectsByPrefixAndNoMatchAnswers6A88() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 0);
        card.registeredApp(B, "B", 2, 0);
        card.registeredApp("A000000333010101", "OTHER", 3, 0);
        card.selectForHolder();
        assertThat(Tlv.parseAll(card.getStatus(0, HEX.parseHex(B)).getData()))
                .extracting(e -> hex(e, 0x4F)).containsExactly(B);
        assertThat(Tlv.parseAll(card.getStatus(0, HEX.parseHex("F0000008")).getData()))
                .extracting(e -> hex(e, 0x4F)).containsExactly(A, B);
        assertThat(card.getStatus(0, HEX.parseHex("F000000824010104")).getSW()).isEqualTo(0x6A88);
        assertThat(card.getStatus(0, HEX.parseHex(A + "00")).getSW()).isEqualTo(0x6A88);
    }

    @Test
    void theEntryDocumentedInProtocolMdByteForByte() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "Daily Wallet", 1, 1_500);
        card.selectForHolder();
        String withoutPin = "6128" + "4F08F000000824010101" + "500C4461696C792057616C6C6574" + "870101" + "9F70020701"
                + "C10100" + "9F42020156";
        assertThat(HEX.formatHex(card.sim.transmitCommand(HEX.parseHex("80F24000024F0000")))).isEqualTo(withoutPin + "9000");
        assertThat(card.verify(SelectorFixture.PIN).getSW()).isEqualTo(0x9000);
        String withPin = "612E" + withoutPin.substring(4) + "C204000005DC";
        assertThat(HEX.formatHex(card.sim.transmitCommand(HEX.parseHex("80F24000024F0000")))).isEqualTo(withPin + "9000");
    }

    @Test
    void anAmendmentCQueryWithATagListIsAnsweredInFull() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 0);
        card.selectForHolder();
        // The query a GP Amd C wallet sends: all applications, tags 4F and 9F70.
        ResponseAPDU r = card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("4F005C034F9F70"), 256));
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(Tlv.parse(r.getData()).childTags()).containsExactly(0x4F, 0x50, 0x87, 0x9F70, 0xC1, 0x9F42);
        r = card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("4F08" + A + "5C00"), 256));
        assertThat(r.getSW()).isEqualTo(0x9000);
    }

    @Test
    void anEmptyRegistryHasNothingToList() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        assertThat(card.selectPpse().getSW()).isEqualTo(0x6A82);
        assertThat(card.getStatus(0, new byte[0]).getSW()).isEqualTo(0x6A88);
        assertThat(card.verify(SelectorFixture.PIN).getSW()).as("the PPSE is selected all the same").isEqualTo(0x9000);
    }

    @Test
    void deletedApplicationsLeaveTheListingAndDeactivatedOnesStayInIt() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "A", 1, 0);
        card.registeredApp(B, "B", 2, 0);
        card.registeredApp(C, "C", 3, 0);
        card.sim.deleteApplet(a);
        card.holderSession();
        assertThat(card.setStatus(B, false).getSW()).isEqualTo(0x9000);
        List<Tlv> entries = card.listing();
        assertThat(entries).extracting(e -> hex(e, 0x4F)).containsExactly(B, C);
        assertThat(entries).extracting(e -> hex(e, 0x9F70)).containsExactly("0700", "0701");
    }

    @Test
    void malformedQueriesAndHeaders() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 0);
        card.selectForHolder();
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, 256)).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("4F"))).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("4F02F0"))).getSW()).isEqualTo(0x6700);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("4F00FF"))).getSW()).isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("4F005C034F9F"))).getSW()).isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("4F004F00"))).getSW()).isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00, HEX.parseHex("5C00"))).getSW()).isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x00,
                Tlv.encode(0x4F, new byte[17]))).getSW()).isEqualTo(0x6A80);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x80, 0x00, HEX.parseHex("4F00"))).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xF2, 0x40, 0x02, HEX.parseHex("4F00"))).getSW()).isEqualTo(0x6A86);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0xF2, 0x40, 0x00, HEX.parseHex("4F00"))).getSW()).isEqualTo(0x6D00);
    }

    @Test
    void getDataA5CarriesPolicyTriesAndPinFlags() {
        SelectorFixture card = SelectorFixture.holder(Wire.POLICY_BEST_FIT);
        card.selectForHolder();
        ResponseAPDU r = card.sim.transmitCommand(new CommandAPDU(0x80, 0xCA, 0x00, 0xA5, 256));
        assertThat(HEX.formatHex(r.getData())).isEqualTo("A509C40101C50103C60100");
        assertThat(card.verify("0000").getSW()).isEqualTo(0x63C2);
        assertThat(card.verify(SelectorFixture.PIN).getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(card.settings().value())).isEqualTo("C40101C50103C60101");
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xCA, 0x00, 0xA6, 256)).getSW()).isEqualTo(0x6A88);
        // Case 2: a data field is not read (Java Card allows no inbound call on case 2), the settings come back.
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x80, 0xCA, 0x00, 0xA5, new byte[1])).getSW()).isEqualTo(0x9000);
        assertThat(card.sim.transmitCommand(new CommandAPDU(0x00, 0xCA, 0x00, 0xA5, 256)).getSW()).isEqualTo(0x6D00);
    }
}
