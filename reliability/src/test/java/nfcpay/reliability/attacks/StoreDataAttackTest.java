package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PbocCrypto;
import nfcpay.reliability.runtime.Mutation;
import nfcpay.reliability.sim.Bytes;
import nfcpay.reliability.sim.PurseTerminal;
import nfcpay.reliability.sim.TransactionalSim;
import nfcpay.sim.BigEndian;
import nfcpay.sim.Personalizer;
import nfcpay.sim.SimCard;
import org.junit.jupiter.api.Test;

/**
 * STORE DATA after personalization: an attacker sends the personalization commands again to put its own
 * purchase key, a higher maximum balance and another label into a live purse, then debits with its key: the
 * plaintext {@code 80 E2} of old (6982), and a session of its own under a personalization key of its own
 * (INITIALIZE PERSONALIZATION answers 6985). The purse keeps its keys: the attacker's MAC fails, the genuine
 * terminal's works.
 *
 * <p>Guards PurseApplet.processStoreData and processInitializePersonalization (issue 14 item 5; the blank purse's
 * side is card's PersonalizationSecurityTest, which fails on the purse before it).
 */
class StoreDataAttackTest {

    static List<String> attack(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        SimCard purse = sim.card("Salary Card");
        byte[] k = Bytes.hex("000102030405060708090A0B0C0D0E0F");
        IssuerMasterKeys attackerKeys = new IssuerMasterKeys(k, k, k, k, k, false);
        Personalizer attacker = new Personalizer(attackerKeys);
        PurseTerminal genuine = sim.terminal(purse);
        genuine.select();
        byte[] dgis = PbocCrypto.concat(
                attacker.dgiBlocks(purse).get(1),
                Personalizer.dgi(Wire.DGI_MAX_BALANCE, BigEndian.uint32(0xFFFFFFFFL)),
                Personalizer.dgi(Wire.DGI_LABEL, Bytes.hex("45766C")));
        int sw = genuine.send(new CommandAPDU(0x80, 0xE2, 0x80, 0x00, dgis)).getSW();
        breach(breaches, sw != 0x6982, "plaintext STORE DATA after personalization answered " + Integer.toHexString(sw));
        ResponseAPDU init = genuine.send(Personalizer.initializePersonalization());
        breach(breaches, init.getSW() != 0x6985, "INITIALIZE PERSONALIZATION after personalization answered "
                + Integer.toHexString(init.getSW()));
        if (init.getSW() == 0x9000) {
            for (CommandAPDU block : attacker.wrap(purse, init.getData(), List.of(dgis))) {
                sw = genuine.send(block).getSW();
                breach(breaches, sw == 0x9000, "the attacker's own STORE DATA session was accepted");
            }
        }
        PurseTerminal thief = new PurseTerminal(sim.transport(), purse, attackerKeys);
        PurseTerminal.Purchase.Result stolen = thief.purchase(10_000);
        breach(breaches, stolen.sw() == 0x9000, "a purchase MACed with the attacker's key went through");
        genuine.select();
        breach(breaches, !genuine.purchase(100).verified(), "the genuine terminal no longer gets a purchase through");
        return breaches;
    }

    @Test
    void aPersonalizedPurseTakesNoMoreStoreData() {
        assertThat(attack(Wallets.genuine())).isEmpty();
    }

    @Test
    void withoutTheLifeCycleCheckTheSessionOpensButTheAttackersKeysStillDoNotGoIn() {
        // Defence in depth: past the life cycle, the purse has forgotten KPERSO and the attacker has never had it.
        TransactionalSim sim = Wallets.without(Mutation.removeThrow(Wallets.PURSE, "requireUnpersonalized", 0x6985));
        assertThat(attack(sim)).containsExactly("INITIALIZE PERSONALIZATION after personalization answered 9000");
    }
}
