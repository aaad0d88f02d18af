package nfcpay.card.purse;

import static nfcpay.card.purse.PurseCard.HEX;
import static nfcpay.card.purse.PurseCard.concat;
import static nfcpay.card.purse.PurseCard.dgi;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.crypto.PersoSession;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 5: a purse installed but not personalized, or whose personalization failed part-way, takes
 * personalization from the issuer alone (the holder of its KPERSO), never from a stranger with keys of his own,
 * never from a recording of an earlier session, never over the contactless interface (docs/protocol.md 3.3).
 * Each test fails on the purse before issue 14, whose plaintext {@code 80 E2} anyone could send.
 */
class PersonalizationSecurityTest {

    private static final byte[] STRANGER_KEY = HEX.parseHex("000102030405060708090A0B0C0D0E0F");

    private final CardSimulator sim = new CardSimulator();
    private final PurseCard card = PurseCard.install(sim);

    /** The stranger's own purse keys in every key DGI, the rest of the profile as the issuer's. */
    private byte[] strangerDgis() {
        byte[] key = PurseCard.keyValue(STRANGER_KEY);
        byte[] all = card.dgis();
        byte[] profile = Arrays.copyOf(all, all.length - 3 * (3 + Wire.KEY_DGI_LENGTH));
        return concat(profile, dgi(Wire.DGI_PURCHASE_KEY, key), dgi(Wire.DGI_LOAD_KEY, key), dgi(Wire.DGI_TAC_KEY, key));
    }

    private ResponseAPDU send(byte[] command) {
        return sim.transmitCommand(new CommandAPDU(command));
    }

    private void assertBlank() {
        card.select();
        assertThat(card.getBalanceCommand().getSW()).as("GET BALANCE of a blank purse").isEqualTo(0x6985);
        assertThat(HEX.formatHex(card.select().getData())).isEqualTo("6F0A8408" + PurseCard.DEFAULT_AID);
    }

    /** The issuer completes the personalization, and the purse pays with the issuer's keys. */
    private void assertTheIssuerCanPersonalize() {
        card.personalize();
        assertThat(card.load(500).sw()).isEqualTo(0x9000);
        PurseCard.Purchase purchase = card.purchase(100);
        assertThat(purchase.sw()).isEqualTo(0x9000);
        assertThat(purchase.mac2()).isEqualTo(purchase.expectedMac2());
        assertThat(card.balance()).isEqualTo(400);
    }

    @Test
    void plaintextDgisAreRefused() {
        card.select();
        assertThat(card.plainStoreData(0x80, 0x00, strangerDgis()).getSW()).isEqualTo(0x6982);
        assertThat(card.plainStoreData(0x00, 0x00, strangerDgis()).getSW()).isEqualTo(0x6982);
        assertBlank();
        assertTheIssuerCanPersonalize();
    }

    @Test
    void aStrangerWithHisOwnPersonalizationKeyFailsTheMac() {
        card.select();
        ResponseAPDU init = card.initializePersonalization();
        assertThat(init.getSW()).isEqualTo(0x9000);
        assertThat(init.getData()).hasSize(7);
        PersoSession stranger = new PersoSession(STRANGER_KEY, 1, init.getData());
        assertThat(send(stranger.storeData(strangerDgis(), true)).getSW()).isEqualTo(0x6988);
        assertBlank();
        assertTheIssuerCanPersonalize();
    }

    @Test
    void aWrongMacEndsTheSessionSoTheNextGoodBlockIsRefused() {
        card.select();
        PersoSession issuer = issuerSession();
        byte[] first = issuer.storeData(dgi(Wire.DGI_LABEL, "First".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), false);
        byte[] tampered = first.clone();
        tampered[tampered.length - 1] ^= 0x01;
        assertThat(send(tampered).getSW()).isEqualTo(0x6988);
        assertThat(send(first).getSW()).as("the genuine block, after the session ended").isEqualTo(0x6982);
        assertBlank();
        assertTheIssuerCanPersonalize();
    }

    @Test
    void tamperedDataFailsTheMac() {
        card.select();
        byte[] block = issuerSession().storeData(card.dgis(), true);
        block[8] ^= 0x40; // inside DGI 0101's value
        assertThat(send(block).getSW()).isEqualTo(0x6988);
        assertBlank();
    }

    @Test
    void blocksRecordedInAnEarlierSessionAreRefusedInANewOne() {
        // The issuer's session: the first block goes through, then the personalization is cut (a new SELECT).
        card.select();
        PersoSession issuer = issuerSession();
        List<byte[]> blocks = blocks(card.dgis());
        byte[] recordedFirst = issuer.storeData(blocks.get(0), false);
        byte[] recordedLast = issuer.storeData(blocks.get(1), true);
        assertThat(send(recordedFirst).getSW()).isEqualTo(0x9000);
        card.select();

        // A stranger who recorded both replays them after a fresh INITIALIZE PERSONALIZATION.
        assertThat(card.initializePersonalization().getSW()).isEqualTo(0x9000);
        assertThat(send(recordedFirst).getSW()).isEqualTo(0x6988);
        assertThat(card.initializePersonalization().getSW()).isEqualTo(0x9000);
        assertThat(send(recordedLast).getSW()).as("the last block, numbered as the first").isEqualTo(0x6A86);
        // ... and without one at all.
        card.select();
        assertThat(send(recordedFirst).getSW()).isEqualTo(0x6982);
        assertBlank();
        assertTheIssuerCanPersonalize();
    }

    @Test
    void theContactlessInterfaceIsRefused() {
        for (String protocol : new String[] {"T=CL,TYPE_A,T1", "T=CL,TYPE_B,T1"}) {
            card.select();
            PersoSession issuer = issuerSession();
            byte[] block = issuer.storeData(card.dgis(), true);
            sim.changeProtocol(protocol);
            try {
                assertThat(card.initializePersonalization().getSW()).as(protocol).isEqualTo(0x6982);
                assertThat(send(block).getSW()).as(protocol).isEqualTo(0x6982);
            } finally {
                sim.changeProtocol("T=1");
            }
            // The refused block ended the contact session too.
            assertThat(send(block).getSW()).isEqualTo(0x6982);
            assertBlank();
        }
        assertTheIssuerCanPersonalize();
    }

    @Test
    void afterAFailedLastBlockAStrangerIsRefusedAndTheIssuerCanRedoIt() {
        // The issuer's last block fails (here: the TAC key missing): the purse stays blank.
        card.select();
        PersoSession issuer = issuerSession();
        List<byte[]> blocks = blocks(card.dgis());
        // The last block ends DTK | DAMK; DAMK is optional, so both go.
        byte[] withoutTacKey = Arrays.copyOf(blocks.get(1), blocks.get(1).length - 2 * (3 + Wire.KEY_DGI_LENGTH));
        assertThat(send(issuer.storeData(blocks.get(0), false)).getSW()).isEqualTo(0x9000);
        byte[] failedLast = issuer.storeData(withoutTacKey, true);
        assertThat(send(failedLast).getSW()).isEqualTo(0x6985);

        // The stranger's turn: plaintext, his own key, the issuer's recorded last block in a session of his own.
        assertThat(card.plainStoreData(0x80, 0x00, strangerDgis()).getSW()).isEqualTo(0x6982);
        assertThat(card.plainStoreData(0x80, 0x02, dgi(Wire.DGI_TAC_KEY, PurseCard.keyValue(STRANGER_KEY))).getSW())
                .isEqualTo(0x6982);
        ResponseAPDU init = card.initializePersonalization();
        PersoSession stranger = new PersoSession(STRANGER_KEY, 1, init.getData());
        assertThat(send(stranger.storeData(strangerDgis(), true)).getSW()).isEqualTo(0x6988);
        card.initializePersonalization();
        assertThat(send(failedLast).getSW()).isEqualTo(0x6A86);
        card.initializePersonalization();
        assertThat(send(stranger.command(0xA8, 0x00, dgi(Wire.DGI_TAC_KEY, PurseCard.keyValue(STRANGER_KEY))))
                .getSW()).isEqualTo(0x6988);
        assertBlank();

        assertTheIssuerCanPersonalize();
    }

    @Test
    void aSessionOnlyCountsItsOwnDgisSoAStrangerCannotFinishAnIssuersHalf() {
        // Every DGI but the TAC key stored by the issuer in one session...
        card.select();
        PersoSession issuer = issuerSession();
        List<byte[]> blocks = blocks(card.dgis());
        // The last block ends DTK | DAMK; DAMK is optional, so both go.
        byte[] withoutTacKey = Arrays.copyOf(blocks.get(1), blocks.get(1).length - 2 * (3 + Wire.KEY_DGI_LENGTH));
        assertThat(send(issuer.storeData(blocks.get(0), false)).getSW()).isEqualTo(0x9000);
        assertThat(send(issuer.storeData(withoutTacKey, false)).getSW()).isEqualTo(0x9000);
        card.select();
        // ... and a new session of the issuer's with the TAC key alone is not a personalization.
        assertThat(card.storeData(0x80, 0x00, dgi(Wire.DGI_TAC_KEY, PurseCard.keyValue(STRANGER_KEY))).getSW())
                .isEqualTo(0x6985);
        assertBlank();
        assertTheIssuerCanPersonalize();
    }

    @Test
    void secretDgisTravelEncryptedAndAPlaintextKeyInAnAuthenticBlockIsRefused() {
        card.select();
        byte[] dpk = IssuerMasterKeys.TEST.purchaseKey(PurseCard.SERIAL);
        PersoSession issuer = issuerSession();
        byte[] block = issuer.storeData(card.dgis(), true);
        assertThat(HEX.formatHex(block)).doesNotContain(HEX.formatHex(dpk));
        // A key DGI MAC'd but not encrypted: its "plaintext" is garbage, refused, and nothing is stored.
        issuer = issuerSession();
        assertThat(send(issuer.command(0xA8, 0x00, concat(card.dgis()))).getSW()).isEqualTo(0x6A80);
        assertBlank();
        assertTheIssuerCanPersonalize();
    }

    @Test
    void badPaddingOrASecretValueNotInWholeBlocksIsRefused() {
        Random random = new Random(14);
        byte[] all = card.dgis();
        byte[] profile = Arrays.copyOf(all, all.length - 3 * (3 + Wire.KEY_DGI_LENGTH));
        for (int length : new int[] {24, 24, 24, 19, 8, 0}) {
            card.select();
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            byte[] data = concat(profile, HEX.parseHex("8101"), new byte[] {(byte) length}, garbage);
            assertThat(send(issuerSession().command(0xA8, 0x00, data)).getSW()).as("%d bytes", length).isEqualTo(0x6A80);
            assertBlank();
        }
        assertTheIssuerCanPersonalize();
    }

    @Test
    void aTornPersonalizationIsRedoneByTheIssuer() {
        card.select();
        PersoSession issuer = issuerSession();
        assertThat(send(issuer.storeData(blocks(card.dgis()).get(0), false)).getSW()).isEqualTo(0x9000);
        sim.reset();
        assertBlank();
        assertTheIssuerCanPersonalize();
    }

    @Test
    void aPersonalizedPurseOpensNoSession() {
        card.personalize();
        assertThat(card.initializePersonalization().getSW()).isEqualTo(0x6985);
        assertThat(card.plainStoreData(0x80, 0x00, strangerDgis()).getSW()).isEqualTo(0x6982);
    }

    private PersoSession issuerSession() {
        ResponseAPDU init = card.initializePersonalization();
        assertThat(init.getSW()).isEqualTo(0x9000);
        return new PersoSession(PurseCard.persoKey(), IssuerMasterKeys.PERSONALIZATION_KEY_VERSION, init.getData());
    }

    /** {@code dgis} as the profile (0101..0104) and the three keys. */
    private static List<byte[]> blocks(byte[] dgis) {
        int keys = dgis.length - 3 * (3 + Wire.KEY_DGI_LENGTH);
        return List.of(Arrays.copyOf(dgis, keys), Arrays.copyOfRange(dgis, keys, dgis.length));
    }
}
