package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.crypto.PbocCrypto;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.Ppse;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.SimCard;
import org.junit.jupiter.api.Test;

/**
 * A hostile card application on the SIM ({@code ImpostorApplet}), not registered: it asks the selector
 * for a credential while claiming to be a genuine purse, and asks a genuine purse for its account
 * information. It may register itself (any application may, under its own AID), but it must get nothing
 * that belongs to another application.
 *
 * <p>Guards SelectorApplet.register: the recorded client AID must be the context the call runs in
 * (lines 503-505; on a real card the firewall and getPreviousContextAID stop the claim earlier), and
 * PurseApplet.getShareableInterfaceObject: the account information only for the PPSE's AID (lines 741-742).
 */
class ImpersonationAttackTest {

    static final String IMPOSTOR_AID = "F0000008249903";

    private static ResponseAPDU impostor(TransactionalSim sim, int ins, byte[] data) {
        sim.card().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, Bytes.hex(IMPOSTOR_AID)));
        return sim.card().transmit(new CommandAPDU(0x80, ins, 0x00, 0x00, data, 256));
    }

    private static TransactionalSim withImpostor(TransactionalSim sim) {
        sim.card().install(Bytes.hex(IMPOSTOR_AID), "nfcpay.reliability.applets.ImpostorApplet", new byte[0]);
        return sim;
    }

    private static byte[] request(String label, int priority) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        return PbocCrypto.concat(new byte[] {(byte) l.length}, l, new byte[] {(byte) priority});
    }

    /** The impostor claims the Salary Card's AID to the selector's registry. */
    static List<String> claimAnotherAid(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        withImpostor(sim);
        SimCard victim = sim.card("Salary Card");
        List<String> directory = Ppse.directory(sim.ppse().select());
        byte[] aid = victim.aid();
        ResponseAPDU r = impostor(sim, 0x11, PbocCrypto.concat(new byte[] {(byte) aid.length}, aid, request("Salary Card", 1)));
        breach(breaches, r.getSW() == 0x9000, "the impostor got a credential registered under the victim's AID");
        breach(breaches, !Ppse.directory(sim.ppse().select()).equals(directory), "the PPSE directory changed");
        // the victim's own credential still verifies: smart selection picks it when only it covers
        breach(breaches, !victim.aidHex().equals(sim.ppse().chosen(20_000)), "the victim is no longer chosen");
        return breaches;
    }

    /** The impostor asks the Salary Card for its account information. */
    static List<String> askAPurse(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        withImpostor(sim);
        ResponseAPDU r = impostor(sim, 0x20, sim.card("Salary Card").aid());
        breach(breaches, r.getSW() != 0x9000 || r.getData()[0] != 0, "a purse served its account information to " + IMPOSTOR_AID);
        return breaches;
    }

    @Test
    void theSelectorRegistersNoOneUnderAnotherApplicationsAid() {
        assertThat(claimAnotherAid(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheContextCheckTheImpostorTakesOverTheVictimsRegistration() {
        // the fourth refusal in authenticatedClient() (register's caller check) is the context check
        TransactionalSim sim = Wallets.without(Mutation.replaceCall(Wallets.SELECTOR, "authenticatedClient",
                "nfcpay.card.selector.SelectorApplet", "refuseRegistration", 3, 0, "no context check"));
        assertThat(claimAnotherAid(sim)).contains("the impostor got a credential registered under the victim's AID")
                .contains("the victim is no longer chosen");
    }

    @Test
    void aPurseServesItsAccountInformationToThePpseOnly() {
        assertThat(askAPurse(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheClientCheckAPurseServesAnyone() {
        TransactionalSim sim = Wallets.without(Mutation.replaceCall(Wallets.PURSE, "getShareableInterfaceObject",
                "javacard.framework.AID", "equals", 1, "no client check"));
        assertThat(askAPurse(sim)).anyMatch(b -> b.startsWith("a purse served its account information"));
    }

    @Test
    void anImpostorRegisteringItselfGetsItsOwnEntryAndNothingElse() {
        TransactionalSim sim = withImpostor(Wallets.genuine());
        List<String> directory = new ArrayList<>(Ppse.directory(sim.ppse().select()));
        // it asks under the Daily Wallet's label and priority 1: still its own, separate entry, and a new one,
        // out of the PPSE until the holder activates it (issue 14 item 3)
        ResponseAPDU r = impostor(sim, 0x10, request("Daily Wallet", 1));
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(Ppse.directory(sim.ppse().select())).isEqualTo(directory);
        assertThat(sim.holderSession().list()).filteredOn(c -> c.aidHex().equals(IMPOSTOR_AID)).singleElement()
                .satisfies(c -> assertThat(c.isNew() && !c.active()).isTrue());
        // it has no account information to offer, so it never takes a payment from the genuine cards
        assertThat(sim.ppse().chosen(1_000)).isEqualTo(sim.card("Daily Wallet").aidHex());
        // and the selector serves no account information to anyone
        assertThat(impostor(sim, 0x21, new byte[0]).getData()).containsExactly(0);
    }
}
