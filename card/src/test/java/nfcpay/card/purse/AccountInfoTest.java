package nfcpay.card.purse;

import static nfcpay.card.purse.PurseCard.HEX;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.util.Arrays;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import org.junit.jupiter.api.Test;

/**
 * Registration with the selector at the end of personalization and the account record served through
 * {@link nfcpay.card.link.AccountInfoSource} (docs/protocol.md 2.4 and 4), against a fake selector.
 */
class AccountInfoTest {

    private static final byte[] CHALLENGE = HEX.parseHex("0102030405060708");
    private static final byte[] ENC = Arrays.copyOfRange(FakeSelectorApplet.CREDENTIAL, 0, 16);
    private static final byte[] MAC = Arrays.copyOfRange(FakeSelectorApplet.CREDENTIAL, 16, 32);

    private final CardSimulator sim = new CardSimulator();

    @Test
    void theTestCmacIsRfc4493() {
        byte[] key = HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C");
        assertThat(HEX.formatHex(AesCmac.cmac(key, new byte[0]))).isEqualTo("BB1D6929E95937287FA37D129B756746");
        assertThat(HEX.formatHex(AesCmac.cmac(key, HEX.parseHex("6BC1BEE22E409F96E93D7E117393172A"))))
                .isEqualTo("070A16B46B4D4144F79BDD9DD04A287C");
        assertThat(HEX.formatHex(AesCmac.cmac(key, HEX.parseHex(
                "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411"))))
                .isEqualTo("DFA66747DE9AE63030CA32611497C827");
    }

    @Test
    void thePurseRegistersItsOwnAidLabelAndPriorityWhenPersonalized() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard card = PurseCard.personalized(sim);
        ResponseAPDU r = selector(0x10, 0, 0, new byte[0]);
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(HEX.formatHex(r.getData())).isEqualTo("08" + PurseCard.DEFAULT_AID
                + "09" + HEX.formatHex(PurseCard.LABEL.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + "01");
        card.select();
        assertThat(card.balance()).isZero();
    }

    @Test
    void theLastStoreDataAnswersNoDataSoTheCredentialNeverLeaves() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard card = PurseCard.install(sim);
        card.select();
        ResponseAPDU r = card.storeData(0x80, 0x00, card.dgis());
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(r.getData()).isEmpty();
    }

    @Test
    void theSelectorGetsTheBalanceCurrencyStatusAndItsChallengeEncryptedAndAuthenticated() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard card = PurseCard.personalized(sim);
        card.load(0x1234);
        card.purchase(0x34);

        byte[] plaintext = readRecord(Link.STATUS_ACTIVE);
        assertThat(HEX.formatHex(plaintext)).isEqualTo("01" + "00" + PurseCard.CURRENCY + "00001200" + HEX.formatHex(CHALLENGE));
    }

    @Test
    void theRecordStaysWithinItsTwentyFourBytes() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard.personalized(sim);
        byte[] data = readAccount(0x02, 0, CHALLENGE, PurseCard.DEFAULT_AID);
        byte[] guard = new byte[FakeSelectorApplet.GUARD];
        Arrays.fill(guard, FakeSelectorApplet.GUARD_BYTE);
        assertThat(Arrays.copyOfRange(data, 25, 25 + FakeSelectorApplet.GUARD)).isEqualTo(guard);

        byte[] atTheEnd = readAccount(0x02, 1, CHALLENGE, PurseCard.DEFAULT_AID);
        assertThat(atTheEnd[0]).isEqualTo((byte) Link.RECORD_LENGTH);
        assertThat(decrypt(Arrays.copyOfRange(atTheEnd, 1, 25))).endsWith(CHALLENGE);

        byte[] pastTheEnd = readAccount(0x02, 2, CHALLENGE, PurseCard.DEFAULT_AID);
        assertThat(pastTheEnd).containsExactly(0);
    }

    @Test
    void eachChallengeGivesAnotherCiphertext() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard.personalized(sim);
        byte[] a = readAccount(0x02, 0, CHALLENGE, PurseCard.DEFAULT_AID);
        byte[] b = readAccount(0x02, 0, HEX.parseHex("0102030405060709"), PurseCard.DEFAULT_AID);
        assertThat(Arrays.copyOfRange(a, 1, 17)).isNotEqualTo(Arrays.copyOfRange(b, 1, 17));
    }

    @Test
    void aLockedPurseSaysLocked() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard card = PurseCard.personalized(sim);
        card.load(500);
        for (int i = 0; i < Wire.MAC_FAILURE_LIMIT; i++) {
            card.purchase(1, PurseCard.DATE, true);
        }
        assertThat(HEX.formatHex(readRecord(Link.STATUS_LOCKED))).startsWith("0101" + PurseCard.CURRENCY + "000001F4");
    }

    /** An issuer-blocked purse leaves smart selection the way a locked one does; UNBLOCK brings it back. */
    @Test
    void anIssuerBlockedPurseSaysLockedUntilUnblocked() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard card = PurseCard.personalized(sim);
        card.load(500);
        assertThat(card.issuerScript(Wire.INS_APPLICATION_BLOCK, Wire.P2_BLOCK_TEMPORARY)).isEqualTo(0x9000);
        readRecord(Link.STATUS_LOCKED);
        card.select();
        assertThat(card.issuerScript(Wire.INS_APPLICATION_UNBLOCK, 0)).isEqualTo(0x9000);
        readRecord(Link.STATUS_ACTIVE);
    }

    @Test
    void anExpiredPurseSaysExpired() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        PurseCard card = PurseCard.personalized(sim);
        card.load(500);
        assertThat(card.purchase(1, "20990101", false).sw()).isEqualTo(0x6985);
        assertThat(HEX.formatHex(readRecord(Link.STATUS_EXPIRED))).startsWith("0102" + PurseCard.CURRENCY + "000001F4");
    }

    @Test
    void onlyThePpseAidWithTheAccountParameterGetsTheInterface() {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        FakeSelectorApplet.install(sim, "F0000008249999", FakeSelectorApplet.MODE_NORMAL);
        PurseCard.personalized(sim);

        assertThat(sim.selectApplet(AIDUtil.create("F0000008249999"))).isTrue();
        ResponseAPDU other = sim.transmitCommand(new javax.smartcardio.CommandAPDU(0x80, 0x20, 0x02, 0x00,
                PurseCard.concat(CHALLENGE, HEX.parseHex(PurseCard.DEFAULT_AID)), 256));
        assertThat(other.getSW()).as("another applet's client AID").isEqualTo(0x6984);

        assertThat(selector(0x20, Link.SIO_REGISTRY, 0, PurseCard.concat(CHALLENGE, HEX.parseHex(PurseCard.DEFAULT_AID))).getSW())
                .as("the PPSE asking with the registry parameter").isEqualTo(0x6984);
        assertThat(selector(0x20, 0x00, 0, PurseCard.concat(CHALLENGE, HEX.parseHex(PurseCard.DEFAULT_AID))).getSW())
                .isEqualTo(0x6984);
        assertThat(readAccount(0x02, 0, CHALLENGE, PurseCard.DEFAULT_AID)[0]).isEqualTo((byte) 24);
    }

    @Test
    void aPurseWithoutCredentialAnswersNoRecord() {
        PurseCard.personalized(sim);
        PurseCard unpersonalized = PurseCard.install(sim, "F000000824010102");
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), FakeSelectorApplet.MODE_NORMAL);
        // Personalized before any selector existed: a plain purse, not registered.
        assertThat(readAccount(0x02, 0, CHALLENGE, PurseCard.DEFAULT_AID)[0]).isZero();
        assertThat(readAccount(0x02, 0, CHALLENGE, "F000000824010102")[0]).isZero();
        assertThat(unpersonalized.select().getSW()).isEqualTo(0x9000);
    }

    @Test
    void withoutSelectorThePursePersonalizesAndWorks() {
        PurseCard card = PurseCard.personalized(sim);
        assertThat(card.load(100).sw()).isEqualTo(0x9000);
        assertThat(card.purchase(40).sw()).isEqualTo(0x9000);
        assertThat(card.balance()).isEqualTo(60);
    }

    @Test
    void aNullRegistryLeavesThePurseUnpersonalizedWith6985() {
        assertRegistrationFails(FakeSelectorApplet.MODE_NULL_SIO, 0x6985);
    }

    @Test
    void aRefusedRegistrationPassesTheSelectorsStatusWordOn() {
        assertRegistrationFails(FakeSelectorApplet.MODE_REJECT, 0x6A84);
    }

    @Test
    void aShortCredentialIsRefusedWith6985() {
        assertRegistrationFails(FakeSelectorApplet.MODE_SHORT_CREDENTIAL, 0x6985);
    }

    @Test
    void aSelectorThatCrashesIsRefusedWith6985() {
        assertRegistrationFails(FakeSelectorApplet.MODE_CRASH, 0x6985);
    }

    private void assertRegistrationFails(byte mode, int sw) {
        FakeSelectorApplet.install(sim, FakeSelectorApplet.ppseAid(), mode);
        PurseCard card = PurseCard.install(sim);
        card.select();
        assertThat(card.storeData(0x80, 0x00, card.dgis()).getSW()).isEqualTo(sw);
        assertThat(card.getBalanceCommand().getSW()).isEqualTo(0x6985);
        assertThat(HEX.formatHex(card.select().getData())).isEqualTo("6F0A8408" + PurseCard.DEFAULT_AID);

        // Once the selector works, the same last block again completes the personalization.
        assertThat(selector(FakeSelectorApplet.INS_SET_MODE, FakeSelectorApplet.MODE_NORMAL, 0, new byte[0]).getSW())
                .isEqualTo(0x9000);
        card.select();
        assertThat(card.storeData(0x80, 0x00, card.dgis()).getSW()).isEqualTo(0x9000);
        assertThat(card.balance()).isZero();
        assertThat(readRecord(Link.STATUS_ACTIVE)).endsWith(CHALLENGE);
        assertThat(selector(FakeSelectorApplet.INS_LAST_REGISTRATION, 0, 0, new byte[0]).getData()[0]).isEqualTo((byte) 8);
    }

    /** Fetches the purse's record through the fake PPSE, checks T and returns the decrypted plaintext. */
    private byte[] readRecord(byte expectedStatus) {
        byte[] data = readAccount(Link.SIO_ACCOUNT_INFO, 0, CHALLENGE, PurseCard.DEFAULT_AID);
        assertThat(data[0]).isEqualTo((byte) Link.RECORD_LENGTH);
        byte[] plaintext = decrypt(Arrays.copyOfRange(data, 1, 25));
        assertThat(plaintext[Link.P_VERSION]).isEqualTo(Link.RECORD_VERSION);
        assertThat(plaintext[Link.P_STATUS]).isEqualTo(expectedStatus);
        assertThat(Arrays.copyOfRange(plaintext, Link.P_CHALLENGE, 16)).isEqualTo(CHALLENGE);
        return plaintext;
    }

    /** Checks T = leftmost 8 bytes of CMAC(Kmac, C) and decrypts C. */
    private static byte[] decrypt(byte[] record) {
        byte[] c = Arrays.copyOfRange(record, 0, 16);
        byte[] t = Arrays.copyOfRange(record, 16, 24);
        assertThat(t).as("T").isEqualTo(Arrays.copyOf(AesCmac.cmac(MAC, c), 8));
        return AesCmac.decryptCbcZeroIv(ENC, c);
    }

    private byte[] readAccount(int sioParameter, int where, byte[] challenge, String purseAid) {
        ResponseAPDU r = selector(0x20, sioParameter, where, PurseCard.concat(challenge, HEX.parseHex(purseAid)));
        assertThat(r.getSW()).as("fake selector READ ACCOUNT").isEqualTo(0x9000);
        return r.getData();
    }

    private ResponseAPDU selector(int ins, int p1, int p2, byte[] data) {
        assertThat(sim.selectApplet(AIDUtil.create(FakeSelectorApplet.ppseAid()))).isTrue();
        return sim.transmitCommand(data.length == 0
                ? new javax.smartcardio.CommandAPDU(0x80, ins, p1, p2, 256)
                : new javax.smartcardio.CommandAPDU(0x80, ins, p1, p2, data, 256));
    }
}
