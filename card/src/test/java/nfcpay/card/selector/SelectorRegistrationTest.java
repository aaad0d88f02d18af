package nfcpay.card.selector;

import static nfcpay.card.selector.SelectorFixture.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import javacard.framework.AID;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import org.junit.jupiter.api.Test;

/** Registration through the SelectorRegistry SIO (PROTOCOL.md 2.3, docs/protocol.md 2.4). */
class SelectorRegistrationTest {

    private static final String A = "F000000824010101";
    private static final String B = "F000000824010102";
    private static final String C = "F000000824010103";
    private static final String IMPOSTOR = "F0000000AA000001";

    private static String hex(AID aid) {
        return aid == null ? null : HEX.formatHex(SelectorFixture.bytes(aid));
    }

    private static AID impostor(SelectorFixture card) {
        AID aid = SelectorFixture.aid(IMPOSTOR);
        SelectorFixture.install(card.sim, aid, ImpostorApplet.class);
        return aid;
    }

    private static String label(Tlv entry) {
        return new String(entry.child(0x50).value(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ who registers

    @Test
    void anApplicationCanOnlyEverRegisterItsOwnAid() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID victim = card.registeredApp(A, "VICTIM", 1, 1_000);
        byte[] victimCredential = card.credential(victim);
        AID impostor = impostor(card);

        // The impostor names the victim everywhere it can: in the label it registers with.
        // (as text: a label is printable ASCII; the bytes themselves are refused, aBadLabelOrPriority...)
        byte[] data = SelectorFixture.registration(A, 1);
        ResponseAPDU r = card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.FETCH_AND_REGISTER, data);
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(r.getData()).hasSize(32).isNotEqualTo(victimCredential);

        // The impostor is in the registry, new and inactive: out of the PPSE until the holder says otherwise.
        assertThat(card.directory()).containsExactly(A);
        card.activate(impostor);
        assertThat(card.directory()).containsExactly(A, IMPOSTOR);
        assertThat(label(Tlv.parse(card.fci()).child(0xA5).child(0xBF0C).children().get(0))).isEqualTo("VICTIM");
        assertThat(card.credential(victim)).isEqualTo(victimCredential);
        assertThat(hex(card.chosen(500))).isEqualTo(A); // the victim's credential still opens its records
    }

    @Test
    void aKeptRegistryReferenceCannotRegisterTheLastApplicationThatAskedForIt() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID impostor = impostor(card);
        AID victim = card.app(A);
        byte[] data = SelectorFixture.registration("STOLEN", 1);

        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.FETCH_AND_KEEP, new byte[0]).getSW())
                .isEqualTo(0x9000);
        // The victim asks for the registry (recording itself) but does not register yet ...
        assertThat(card.command(victim, FakeCardApp.INS_REGISTER, FakeCardApp.REGISTER_FETCH_ONLY, data).getSW())
                .isEqualTo(0x9000);
        // ... and the impostor, selected again, calls register through its old reference.
        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.REGISTER_WITH_KEPT, data).getSW())
                .isEqualTo(0x6985);
        assertThat(card.selectPpse().getSW()).isEqualTo(0x6A82);

        // The victim registers normally afterwards.
        assertThat(card.register(victim, "VICTIM", 1).getSW()).isEqualTo(0x9000);
        card.activate(victim);
        assertThat(card.directory()).containsExactly(A);
    }

    @Test
    void theRecordedClientIsConsumedByOneRegistration() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID impostor = impostor(card);
        byte[] data = SelectorFixture.registration("TWICE", 1);
        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.REGISTER_TWICE, data).getSW())
                .isEqualTo(0x6985);
        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.FETCH_AND_KEEP, new byte[0]).getSW())
                .isEqualTo(0x9000);
        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.REGISTER_WITH_KEPT, data).getSW())
                .isEqualTo(0x9000);
        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.REGISTER_WITH_KEPT, data).getSW())
                .isEqualTo(0x6985);
        card.activate(impostor);
        assertThat(card.directory()).containsExactly(IMPOSTOR);
    }

    @Test
    void aPowerCycleForgetsTheRecordedClient() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID impostor = impostor(card);
        card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.FETCH_AND_KEEP, new byte[0]);
        card.sim.reset();
        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.REGISTER_WITH_KEPT,
                SelectorFixture.registration("LATE", 1)).getSW()).isEqualTo(0x6985);
    }

    @Test
    void aRecordedClientThatWasDeletedIsRefused() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID impostor = impostor(card);
        AID gone = card.app(A);
        byte[] data = SelectorFixture.registration("GHOST", 1);
        card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.FETCH_AND_KEEP, new byte[0]);
        card.command(gone, FakeCardApp.INS_REGISTER, FakeCardApp.REGISTER_FETCH_ONLY, data);
        card.sim.deleteApplet(gone);
        assertThat(card.command(impostor, ImpostorApplet.INS_REGISTER, ImpostorApplet.REGISTER_WITH_KEPT, data).getSW())
                .isEqualTo(0x6985);
        assertThat(card.selectPpse().getSW()).isEqualTo(0x6A82);
    }

    @Test
    void theSelectorHandsOutOnlyItsRegistry() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 1_000);
        AID impostor = impostor(card);
        for (int parameter : new int[] {0x00, 0x02, 0x03, 0x7F, 0x80, 0xFF}) {
            ResponseAPDU r = card.command(impostor, ImpostorApplet.INS_ASK_SIO, parameter, new byte[0]);
            assertThat(r.getData()).as("parameter %02X", parameter).containsExactly(0);
        }
        assertThat(card.command(impostor, ImpostorApplet.INS_ASK_SIO, Link.SIO_REGISTRY, new byte[0]).getData())
                .containsExactly(1);
    }

    @Test
    void registrationFromInsideTheCallersOwnTransactionWorks() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.app(A);
        assertThat(card.command(a, FakeCardApp.INS_REGISTER, FakeCardApp.REGISTER_IN_TRANSACTION,
                SelectorFixture.registration("A", 1)).getSW()).isEqualTo(0x9000);
        card.activate(a);
        card.balance(a, 1_000);
        assertThat(hex(card.chosen(500))).isEqualTo(A);
    }

    // ------------------------------------------------------------------ credentials

    @Test
    void everyRegistrationDrawsAFreshRandomCredential() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "A", 1, 0);
        AID b = card.registeredApp(B, "B", 1, 0);
        Set<String> seen = new HashSet<>();
        seen.add(HEX.formatHex(card.credential(a)));
        seen.add(HEX.formatHex(card.credential(b)));
        for (int i = 0; i < 5; i++) {
            assertThat(card.register(a, "A", 1).getSW()).isEqualTo(0x9000);
            byte[] credential = card.credential(a);
            assertThat(credential).hasSize(32);
            // The encryption and the MAC key differ too.
            assertThat(java.util.Arrays.copyOf(credential, 16)).isNotEqualTo(java.util.Arrays.copyOfRange(credential, 16, 32));
            seen.add(HEX.formatHex(credential));
        }
        assertThat(seen).hasSize(7).doesNotContain("00".repeat(32));
    }

    @Test
    void reRegistrationReKeysReplacesLabelAndStartsNewAgain() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.registeredApp(A, "A", 2, 1_000_000);
        card.registeredApp(B, "B", 2, 1_000);
        card.registeredApp(C, "C", 1, 1_000);
        assertThat(card.directory()).containsExactly(C, A, B);
        byte[] old = card.credential(a);

        assertThat(card.register(a, "A AGAIN", 2).getSW()).isEqualTo(0x9000);
        byte[] fresh = card.credential(a);
        assertThat(fresh).isNotEqualTo(old);
        // A re-registration is a new registration: out of the PPSE, last, until the holder activates it again.
        assertThat(card.directory()).containsExactly(C, B);
        card.activate(a);
        assertThat(card.directory()).containsExactly(C, B, A);
        assertThat(label(Tlv.parse(card.fci()).child(0xA5).child(0xBF0C).children().get(2))).isEqualTo("A AGAIN");

        // Records under the superseded credential no longer count; under the new one they do.
        card.putCredential(a, old);
        assertThat(card.chosen(5_000)).isNull();
        card.putCredential(a, fresh);
        assertThat(hex(card.chosen(5_000))).isEqualTo(A);

        // Asking for priority 1 ties with C once activated; A registered after C, so C keeps the tie.
        assertThat(card.register(a, "A", 1).getSW()).isEqualTo(0x9000);
        card.activate(a);
        assertThat(card.directory()).containsExactly(C, A, B);
    }

    // ------------------------------------------------------------------ deletion and capacity

    @Test
    void aDeletedApplicationLeavesTheDirectoryAndTheSelection() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_MOST_FUNDS);
        card.registeredApp(A, "A", 1, 1_000);
        AID b = card.registeredApp(B, "B", 2, 1_000_000);
        card.registeredApp(C, "C", 3, 2_000);
        assertThat(hex(card.chosen(500))).isEqualTo(B);
        card.sim.deleteApplet(b);
        assertThat(card.directory()).containsExactly(A, C);
        assertThat(hex(card.chosen(500))).isEqualTo(C);
        assertThat(card.chosen(5_000)).isNull();
    }

    @Test
    void aDeletedApplicationIsDroppedEvenIfTheNextCommandIsAGpo() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        card.registeredApp(A, "A", 1, 1_000_000);
        card.registeredApp(B, "B", 2, 1_000);
        assertThat(card.selectPpse().getSW()).isEqualTo(0x9000);
        card.sim.deleteApplet(SelectorFixture.aid(A));
        ResponseAPDU r = card.gpo(500, SelectorFixture.CNY);
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(Tlv.parse(r.getData()).child(0x4F).value())).isEqualTo(B);
    }

    @Test
    void theRegistryHoldsSixteenAndAnswers6A84Beyond() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        for (int i = 0; i < 16; i++) {
            card.registeredApp(String.format("F0000008240102%02X", i), "APP " + i, 1 + i % 15, 0);
        }
        AID seventeenth = card.app("F0000008240102FF");
        assertThat(card.register(seventeenth, "ONE TOO MANY", 1).getSW()).isEqualTo(0x6A84);
        assertThat(card.directory()).hasSize(16).doesNotContain("F0000008240102FF");

        // Re-registration needs no new slot; a deleted application frees one.
        assertThat(card.register(SelectorFixture.aid("F000000824010203"), "APP 3 AGAIN", 4).getSW()).isEqualTo(0x9000);
        card.activate(SelectorFixture.aid("F000000824010203"));
        card.sim.deleteApplet(SelectorFixture.aid("F000000824010207"));
        assertThat(card.register(seventeenth, "ROOM NOW", 1).getSW()).isEqualTo(0x9000);
        card.activate(seventeenth);
        assertThat(card.directory()).hasSize(16).contains("F0000008240102FF").doesNotContain("F000000824010207");
    }

    @Test
    void aBadLabelOrPriorityAnswers6A80AndRegistersNothing() {
        SelectorFixture card = SelectorFixture.smart(Wire.POLICY_PRIORITY);
        AID a = card.app(A);
        assertThat(card.register(a, "", 1).getSW()).isEqualTo(0x6A80);
        assertThat(card.register(a, "SEVENTEEN BYTES!!", 1).getSW()).isEqualTo(0x6A80);
        assertThat(card.register(a, "A", 0).getSW()).isEqualTo(0x6A80);
        assertThat(card.register(a, "A", 16).getSW()).isEqualTo(0x6A80);
        assertThat(card.register(a, "A", 0x80).getSW()).isEqualTo(0x6A80);
        assertThat(card.register(a, "A", 0xFF).getSW()).isEqualTo(0x6A80);
        // EMV tag 50 is ans: printable ASCII only, so a registrant cannot smuggle control bytes or another
        // character set into the directory and the wallet's listing (issue 14 item 3).
        for (byte b : new byte[] {0x00, 0x1F, 0x7F, (byte) 0x80, (byte) 0xE4}) {
            byte[] label = {0x44, 0x61, b, 0x6C, 0x79};
            byte[] data = new byte[label.length + 2];
            data[0] = (byte) label.length;
            System.arraycopy(label, 0, data, 1, label.length);
            data[label.length + 1] = 1;
            assertThat(card.command(a, FakeCardApp.INS_REGISTER, FakeCardApp.REGISTER_NOW, data).getSW())
                    .as("label byte %02X", b).isEqualTo(0x6A80);
        }
        // A label length that runs past the end of the APDU buffer.
        assertThat(card.command(a, FakeCardApp.INS_REGISTER, FakeCardApp.REGISTER_NOW, new byte[] {(byte) 0xFF, 0x41})
                .getSW()).isEqualTo(0x6A80);
        assertThat(card.selectPpse().getSW()).isEqualTo(0x6A82);

        assertThat(card.register(a, "SIXTEEN BYTES OK", 15).getSW()).isEqualTo(0x9000);
        card.activate(a);
        assertThat(card.directory()).containsExactly(A);
    }
}
