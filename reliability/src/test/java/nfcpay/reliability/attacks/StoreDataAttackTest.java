package nfcpay.reliability.attacks;

import static nfcpay.reliability.attacks.Wallets.breach;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.CommandAPDU;
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
 * STORE DATA after personalization: an attacker sends the personalization command again to put its own
 * purchase key, a higher maximum balance and another label into a live purse, then debits with its key.
 * The purse refuses every block (6985) and keeps its keys: the attacker's MAC fails, the genuine
 * terminal's works.
 *
 * <p>Guards PurseApplet.processStoreData: {@code if (personalized) 6985} (lines 614-615).
 */
class StoreDataAttackTest {

    static List<String> attack(TransactionalSim sim) {
        List<String> breaches = new ArrayList<>();
        SimCard purse = sim.card("Salary Card");
        IssuerMasterKeys attackerKeys = new IssuerMasterKeys(Bytes.hex("000102030405060708090A0B0C0D0E0F"),
                Bytes.hex("000102030405060708090A0B0C0D0E0F"), Bytes.hex("000102030405060708090A0B0C0D0E0F"), false);
        PurseTerminal genuine = sim.terminal(purse);
        genuine.select();
        long before = genuine.balance();
        byte[] dgis = PbocCrypto.concat(
                new Personalizer(attackerKeys).storeData(purse).get(1).getData(),
                Personalizer.dgi(Wire.DGI_MAX_BALANCE, BigEndian.uint32(0xFFFFFFFFL)),
                Personalizer.dgi(Wire.DGI_LABEL, Bytes.hex("45766C")));
        int sw = genuine.send(new CommandAPDU(0x80, 0xE2, 0x00, 0x00, dgis)).getSW();
        breach(breaches, sw != 0x6985, "STORE DATA after personalization answered " + Integer.toHexString(sw));
        PurseTerminal attacker = new PurseTerminal(sim.transport(), purse, attackerKeys);
        PurseTerminal.Purchase.Result stolen = attacker.purchase(10_000);
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
    void withoutTheLifeCycleCheckTheAttackerReplacesThePurchaseKey() {
        TransactionalSim sim = Wallets.without(Mutation.removeThrow(Wallets.PURSE, "processStoreData", 0x6985, 0));
        assertThat(attack(sim)).contains("a purchase MACed with the attacker's key went through");
    }
}
