package nfcpay.terminal.refvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.SimAssembly;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.cref.JavaCardSdk;
import nfcpay.sim.wallet.WalletCard;
import nfcpay.terminal.rogue.RogueApplet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Card attacks whose defence is the Java Card firewall, on Oracle's reference VM where the firewall is real: a
 * rogue applet ({@link RogueApplet}, converted at test time against the card module's export files) loaded next
 * to the selector and the purses asks a purse for its account information and forges registrations with the
 * selector. Each refusal has a control in which the same rogue code succeeds, so the refusal is the defence's.
 */
class FirewallOnReferenceVmIT {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PACKAGE_AID = "F000000824990A";
    private static final String CLASS_AID = PACKAGE_AID + "01";
    private static final byte[] ROGUE = HEX.parseHex(CLASS_AID + "01");
    private static final byte[] SECOND_ROGUE = HEX.parseHex(CLASS_AID + "02");
    private static final byte[] FAKE_PURSE = HEX.parseHex(CLASS_AID + "03");
    /** RogueApplet's outcomes. */
    private static final int NO_SIO = 0x00;
    private static final int DONE = 0x01;
    private static final int ISO_EXCEPTION = 0x03;

    @TempDir
    static Path work;
    private static ReferenceVm vm;
    private SimulatedSim sim;
    private SimCard daily;

    @BeforeAll
    static void start() throws Exception {
        JavaCardSdk.crefOrSkip();
        Path jcHome = JavaCardSdk.jcHomeOrSkip();
        Path cardCaps = JavaCardSdk.cardCapsOrSkip();
        Path rogue = JavaCardSdk.convert(jcHome, work, RogueApplet.class.getPackageName(), PACKAGE_AID,
                RogueApplet.class.getName(), CLASS_AID, List.of(cardCaps.toAbsolutePath()));
        vm = ReferenceVm.startOrSkip(List.of(rogue));
    }

    @AfterAll
    static void stop() {
        if (vm != null) {
            vm.close();
        }
    }

    @BeforeEach
    void assemble() {
        sim = SimulatedSim.builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).build(vm.platform());
        daily = sim.card("Daily Wallet").orElseThrow();
        vm.cref().install(ROGUE, RogueApplet.class, new byte[0]);
        vm.cref().install(SECOND_ROGUE, RogueApplet.class, new byte[0]);
        vm.cref().install(FAKE_PURSE, RogueApplet.class, new byte[] {1});
        vm.cref().reset();
    }

    @AfterEach
    void clear() {
        vm.clear();
    }

    /** Selects {@code applet} and sends it {@code 80 ins 00 00 data}; the answer is RogueApplet's outcome | detail. */
    private static byte[] as(byte[] applet, int ins, byte[] data) {
        ResponseAPDU select = vm.cref().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, applet, 256));
        assertThat(select.getSW()).as("SELECT %s", HEX.formatHex(applet)).isEqualTo(0x9000);
        ResponseAPDU r = vm.cref().transmit(new CommandAPDU(0x80, ins, 0x00, 0x00, data, 256));
        if (r.getSW() != 0x9000) {
            String said = vm.cref().output();
            assertThat(r.getSW()).as("rogue command %02X; cref said: %s", ins, said.substring(Math.max(0, said.length() - 1500)))
                    .isEqualTo(0x9000);
        }
        return r.getData();
    }

    /** L | label | priority, as a purse registers. */
    private static byte[] registration(String label, int priority) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[l.length + 2];
        data[0] = (byte) l.length;
        System.arraycopy(l, 0, data, 1, l.length);
        data[l.length + 1] = (byte) priority;
        return data;
    }

    private static int detail(byte[] answer) {
        return ((answer[1] & 0xFF) << 8) | (answer[2] & 0xFF);
    }

    @Test
    void aRogueAskingAPurseForItsAccountInformationGetsNoSioWhileTheSameCodeReadsAPurseThatServesAnyone() {
        byte[] refused = as(ROGUE, 0x20, daily.aid());
        byte[] control = as(ROGUE, 0x20, FAKE_PURSE);

        assertThat(refused).as("the purse's account information, asked by the rogue").containsExactly(NO_SIO, 0, 0);
        assertThat(control[0]).as("control: a purse that serves anyone").isEqualTo((byte) DONE);
        assertThat(detail(control)).isEqualTo(24);
        assertThat(Arrays.copyOfRange(control, 3, 27)).containsOnly((byte) 0x5A);
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
    }

    @Test
    void aRogueClaimingAnotherCardsLabelAndPriorityIsRegisteredUnderItsOwnAidOnly() {
        List<WalletCard> before = sim.holderSession().list();

        byte[] answer = as(ROGUE, 0x22, registration("Daily Wallet", 1));

        // getPreviousContextAID() agreed with the client AID the selector recorded: a registration on cref passes.
        assertThat(answer[0]).as("outcome %s", HEX.formatHex(answer)).isEqualTo((byte) DONE);
        assertThat(detail(answer)).as("a credential").isEqualTo(32);
        vm.cref().reset();
        List<WalletCard> after = sim.holderSession().list();
        assertThat(after).containsAll(before); // the real Daily Wallet keeps its AID, label, priority
        assertThat(after).filteredOn(c -> c.label().equals("Daily Wallet")).extracting(WalletCard::aidHex)
                .containsExactlyInAnyOrder(daily.aidHex(), HEX.formatHex(ROGUE));
        // ... and it is new: last, inactive, out of the PPSE until the holder activates it (issue 14 item 3)
        assertThat(after.get(after.size() - 1)).satisfies(c -> {
            assertThat(c.aidHex()).isEqualTo(HEX.formatHex(ROGUE));
            assertThat(c.isNew() && !c.active()).isTrue();
        });
        byte[] ppse = vm.cref().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, SimAssembly.ppseAid(), 256))
                .getBytes();
        assertThat(HEX.formatHex(ppse)).contains(daily.aidHex()).doesNotContain(HEX.formatHex(ROGUE));
        assertThat(sim.balance("Daily Wallet")).isEqualTo(1_500);
    }

    @Test
    void aKeptRegistryReferenceCannotRegisterTheClientAnotherApplet() {
        // The rogue takes the registry SIO and keeps it; a second applet then takes it (the selector records it as
        // the client); the rogue registers through its kept reference. Recorded client SECOND_ROGUE, caller ROGUE:
        // only getPreviousContextAID() tells them apart (an installed, other applet; no PPSE session; and on cref
        // JCSystem.getAID() is the selector's own AID), and it must refuse, or the rogue holds SECOND_ROGUE's credential.
        assertThat(as(ROGUE, 0x24, new byte[] {0})[0]).isEqualTo((byte) DONE);
        assertThat(as(SECOND_ROGUE, 0x24, new byte[] {0})[0]).isEqualTo((byte) DONE);

        byte[] relayed = as(ROGUE, 0x26, registration("Salary Card", 2));

        assertThat(relayed[0]).as("outcome %s", HEX.formatHex(relayed)).isEqualTo((byte) ISO_EXCEPTION);
        assertThat(detail(relayed)).isEqualTo(0x6985);

        // Control: the same kept-reference code registers when the recorded client is the caller itself.
        assertThat(as(SECOND_ROGUE, 0x24, new byte[] {0})[0]).isEqualTo((byte) DONE);
        byte[] own = as(SECOND_ROGUE, 0x26, registration("Second", 3));
        assertThat(own[0]).as("outcome %s", HEX.formatHex(own)).isEqualTo((byte) DONE);
        assertThat(detail(own)).isEqualTo(32);

        vm.cref().reset();
        assertThat(sim.holderSession().list()).extracting(WalletCard::aidHex)
                .contains(HEX.formatHex(SECOND_ROGUE)).doesNotContain(HEX.formatHex(ROGUE));
    }
}
