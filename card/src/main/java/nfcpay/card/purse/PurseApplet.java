package nfcpay.card.purse;

import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import javacard.security.CryptoException;
import javacard.security.DESKey;
import javacard.security.KeyBuilder;
import javacard.security.RandomData;
import nfcpay.card.CommandData;
import nfcpay.card.InstallData;
import nfcpay.card.Wire;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.CardRandom;
import nfcpay.card.link.Link;
import nfcpay.card.link.OneBlockCmac;
import nfcpay.card.link.SelectorRegistry;

/**
 * The PBOC electronic purse (JR/T 0025 EP) as a card application (PROTOCOL.md 3; the project's choices
 * in docs/protocol.md 3 and 4): one bank account per instance, registered with the PPSE selector when
 * its personalization completes, and serving the selector its account record through
 * {@link AccountInfoSource}.
 *
 * <p>Install parameters: the personalization key and optionally the selector's AID ({@link #install}).
 */
public final class PurseApplet extends Applet implements AccountInfoSource {

    // ---- Session state (CLEAR_ON_DESELECT): what an INITIALIZE leaves for the DEBIT/CREDIT after it ----
    private static final byte PENDING_NONE = 0;
    private static final byte PENDING_PURCHASE = 1;
    private static final byte PENDING_LOAD = 2;
    /** A GET CHALLENGE: its random, in {@link #S_RANDOM}, is the IV of the very next command's script MAC. */
    private static final byte PENDING_CHALLENGE = 3;
    private static final short S_PENDING = 0;
    /** Next STORE DATA block number expected in this selection. */
    private static final short S_BLOCK = 1;
    private static final short S_AMOUNT = 2;
    private static final short S_TERMINAL = 6;
    private static final short S_RANDOM = 12;
    /** The offline or online counter INITIALIZE returned. */
    private static final short S_COUNTER = 16;
    private static final short SESSION_LENGTH = 18;
    /**
     * The personalization session ({@link PersoChannel}) over S_AMOUNT..S_COUNTER: it exists only before
     * personalization, an INITIALIZE session only after it (the reference VM has no RAM to spare for both).
     */
    private static final short S_PERSO = S_AMOUNT;

    // ---- APDU buffer scratch, above the longest command data (5 + 15) and below 133 bytes ----
    private static final short W_INPUT = 32;
    private static final short W_MAC = 56;
    private static final short W_BALANCE = 60;
    private static final short W_MAC2 = 64;
    private static final short W_TAC = 68;

    // ---- Offsets in the command data ----
    private static final short C_KEY_INDEX = ISO7816.OFFSET_CDATA;
    private static final short C_AMOUNT = (short) (ISO7816.OFFSET_CDATA + 1);
    private static final short C_TERMINAL = (short) (ISO7816.OFFSET_CDATA + 5);
    private static final short C_DEBIT_SERIAL = ISO7816.OFFSET_CDATA;
    private static final short C_DEBIT_DATE = (short) (ISO7816.OFFSET_CDATA + 4);
    private static final short C_DEBIT_MAC1 = (short) (ISO7816.OFFSET_CDATA + 11);
    private static final short C_CREDIT_DATE = ISO7816.OFFSET_CDATA;
    private static final short C_CREDIT_MAC2 = (short) (ISO7816.OFFSET_CDATA + 7);
    private static final short DATE_TIME_LENGTH = (short) (Wire.DATE_LENGTH + Wire.TIME_LENGTH);

    private static final short DES_BLOCK = 8;
    private static final short DOUBLE_KEY_LENGTH = 16;
    private static final byte KEY_DPK = 0;
    private static final byte KEY_DLK = 1;
    private static final byte KEY_DTK = 2;
    private static final byte KEY_DAMK = 3;

    // ---- Issuer block (JR/T 0025 APPLICATION BLOCK / UNBLOCK, docs/protocol.md 3.6) ----
    private static final byte BLOCK_NONE = 0;
    private static final byte BLOCK_TEMPORARY = 1;
    private static final byte BLOCK_PERMANENT = 2;
    /** Script MAC input: CLA INS P1 P2 Lc, then ISO 9797-1 method 2 padding 80 00 00: one DES block. */
    private static final short SCRIPT_HEADER_LENGTH = 5;

    // ---- Proof for GET TRANSACTION PROVE: valid (1) | counter (2) | MAC2 (4) | TAC (4) ----
    private static final short PROOF_VALID = 0;
    private static final short PROOF_COUNTER = 1;
    private static final short PROOF_MAC2 = 3;
    private static final short PROOF_TAC = 7;
    private static final short PROOF_LENGTH = 11;

    // ---- Persistent: personalization ----
    private final byte[] issuerData;
    private final byte[] maxBalance;
    private final byte[] label;
    private byte labelLength;
    private byte priority;
    private final byte[] keyVersions;
    private byte dgisReceived;
    private boolean personalized;
    /** True once the selector gave this application a credential. */
    private boolean registered;

    // ---- Persistent: the purse ----
    private final byte[] balance;
    private final byte[] offlineCounter;
    private final byte[] onlineCounter;
    private byte macFailures;
    private boolean locked;
    private boolean expired;
    /** The holder deactivated this card for contactless payments ({@link #holderActivation}); contact still pays. */
    private boolean contactlessDeactivated;
    /** BLOCK_NONE, or what the issuer's last APPLICATION BLOCK asked for; UNBLOCK lifts only a temporary one. */
    private byte blockState;
    /** Consecutive wrong script MACs; at {@link Wire#SCRIPT_FAILURE_LIMIT} the maintenance key is used no more. */
    private byte scriptFailures;
    private final TransactionLog log;
    private final byte[] purchaseProof;
    private final byte[] loadProof;

    // ---- Keys and crypto ----
    private final DESKey dpk;
    private final DESKey dlk;
    private final DESKey dtk;
    /** The application maintenance key DAMK (DGI 8104), for issuer scripts; uninitialized when not personalized. */
    private final DESKey damk;
    /** Holds the session key, then the TAC key, for one MAC at a time; cleared after every command. */
    private final DESKey macKey;
    /** DES-ECB for session keys and the JR/T 0025 MAC, on whichever DES algorithms the card has. */
    private final PbocDes des;
    /*
     * The credential, as the AES key schedules of its two keys ({@link SoftAes}). The record is computed behind the
     * Shareable Interface Object while the PPSE is selected, where the card's AES engines are out of reach (a Cipher
     * made without external access throws there, and Oracle's reference VM grants external access to none): the
     * purse encrypts those two blocks itself, with no engine (docs/card.md).
     */
    private final byte[] encSchedule;
    private final byte[] macSchedule;
    /** CMAC subkey K1 of the MAC key (SP 800-38B): the record's tag is AES(Kmac, C XOR K1). */
    private final byte[] cmacSubkey;
    /** The tag's block while it is computed behind the SIO: CLEAR_ON_RESET, which the purse's context reaches there. */
    private final byte[] tagScratch;
    /**
     * The selector's AID, "2PAY.SYS.DDF01" unless the install parameters name another (a SIM whose contactless
     * registry owns the PPSE AID, docs/card.md): the one client the account information is served to, and where to
     * register.
     */
    private final byte[] selectorAid;
    private final byte selectorAidLength;
    /** AIDs are 5 to 16 bytes (ISO/IEC 7816-4). */
    private static final short AID_MIN = 5;
    private static final short AID_MAX = 16;
    private final RandomData random;
    /** The authenticated personalization session (docs/protocol.md 3.3). */
    private final PersoChannel perso;

    // ---- Transient ----
    private final byte[] session;
    /** Key bytes on their way into {@link #macKey}; cleared right after. */
    private final byte[] keyScratch;

    /**
     * {@code params[keyAt]}: personalization key version | KPERSO (16); {@code params[selectorAt .. + length)}: the
     * selector's AID; length 0: "2PAY.SYS.DDF01".
     */
    private PurseApplet(byte[] params, short keyAt, short selectorAt, short length) {
        perso = new PersoChannel(params, keyAt);
        issuerData = new byte[Wire.ISSUER_DATA_LENGTH];
        maxBalance = new byte[UInt32.LENGTH];
        label = new byte[Link.LABEL_MAX];
        keyVersions = new byte[4];
        balance = new byte[UInt32.LENGTH];
        offlineCounter = new byte[Wire.COUNTER_LENGTH];
        onlineCounter = new byte[Wire.COUNTER_LENGTH];
        log = new TransactionLog();
        purchaseProof = new byte[PROOF_LENGTH];
        loadProof = new byte[PROOF_LENGTH];

        dpk = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
        dlk = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
        dtk = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
        damk = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, false);
        macKey = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES_TRANSIENT_DESELECT, KeyBuilder.LENGTH_DES, false);
        des = new PbocDes(false);
        encSchedule = new byte[SoftAes.SCHEDULE_LENGTH];
        macSchedule = new byte[SoftAes.SCHEDULE_LENGTH];
        cmacSubkey = new byte[SoftAes.BLOCK];
        tagScratch = JCSystem.makeTransientByteArray(SoftAes.BLOCK, JCSystem.CLEAR_ON_RESET);
        selectorAid = new byte[AID_MAX];
        if (length == 0) {
            selectorAidLength = Link.PPSE_AID_LENGTH;
            Link.writePpseAid(selectorAid, (short) 0);
        } else {
            selectorAidLength = (byte) length;
            Util.arrayCopyNonAtomic(params, selectorAt, selectorAid, (short) 0, length);
        }
        random = CardRandom.best();

        session = JCSystem.makeTransientByteArray(SESSION_LENGTH, JCSystem.CLEAR_ON_DESELECT);
        // Cleared after every use: CLEAR_ON_RESET spares the scarce CLEAR_ON_DESELECT RAM (docs/card.md).
        keyScratch = JCSystem.makeTransientByteArray(DOUBLE_KEY_LENGTH, JCSystem.CLEAR_ON_RESET);
        perso.attach(des, keyScratch, session, S_PERSO);
    }

    /**
     * {@code bArray[bOffset]} = {@code Li AID | Lc control info | La params} ({@link InstallData}); Li = 0
     * creates the purse under its class AID. Application parameters: the personalization key version (1) and the
     * purse's own KPERSO (16), then nothing (the selector is "2PAY.SYS.DDF01") or the selector's AID, 5 to 16
     * bytes. Anything else, and no key → 6A80: a purse without KPERSO could never be personalized. On a real card
     * the INSTALL command, KPERSO with it, travels under the issuer security domain's secure channel (docs/card.md).
     */
    public static void install(byte[] bArray, short bOffset, byte bLength) {
        short lengthAt = InstallData.parametersLengthOffset(bArray, bOffset, bLength);
        short selectorLength = (short) (InstallData.parametersLength(bArray, lengthAt) - Wire.PERSO_KEY_PARAMETERS_LENGTH);
        if (selectorLength < 0 || (selectorLength != 0 && (selectorLength < AID_MIN || selectorLength > AID_MAX))) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        short keyAt = (short) (lengthAt + 1);
        PurseApplet applet = new PurseApplet(bArray, keyAt, (short) (keyAt + Wire.PERSO_KEY_PARAMETERS_LENGTH),
                selectorLength);
        if (bLength == 0 || bArray[bOffset] == 0) {
            applet.register();
        } else {
            applet.register(bArray, (short) (bOffset + 1), bArray[bOffset]);
        }
    }

    @Override
    public boolean select() {
        Util.arrayFillNonAtomic(session, (short) 0, SESSION_LENGTH, (byte) 0);
        return true;
    }

    @Override
    public void process(APDU apdu) {
        if (selectingApplet()) {
            processSelect(apdu);
            return;
        }
        byte[] buf = apdu.getBuffer();
        // An INITIALIZE opens a session that the very next command consumes, whatever it is.
        byte pending = session[S_PENDING];
        session[S_PENDING] = PENDING_NONE;

        byte cla = buf[ISO7816.OFFSET_CLA];
        if (cla != Wire.CLA_ISO && cla != Wire.CLA_PROPRIETARY && cla != Wire.CLA_SECURE_MESSAGING) {
            ISOException.throwIt(Wire.SW_CLA_NOT_SUPPORTED);
        }
        try {
            switch (buf[ISO7816.OFFSET_INS]) {
                case Wire.INS_SELECT:
                    // The runtime passes on a SELECT of an application it does not know.
                    requireClass(cla, Wire.CLA_ISO);
                    ISOException.throwIt(Wire.SW_FILE_NOT_FOUND);
                    return;
                case Wire.INS_READ_RECORD:
                    requireClass(cla, Wire.CLA_ISO);
                    processReadRecord(apdu);
                    return;
                case Wire.INS_INITIALIZE:
                    requireClass(cla, Wire.CLA_PROPRIETARY);
                    processInitialize(apdu);
                    return;
                case Wire.INS_DEBIT_FOR_PURCHASE:
                    requireClass(cla, Wire.CLA_PROPRIETARY);
                    processDebit(apdu, pending);
                    return;
                case Wire.INS_CREDIT_FOR_LOAD:
                    requireClass(cla, Wire.CLA_PROPRIETARY);
                    processCredit(apdu, pending);
                    return;
                case Wire.INS_GET_BALANCE:
                    requireClass(cla, Wire.CLA_PROPRIETARY);
                    processGetBalance(apdu);
                    return;
                case Wire.INS_GET_TRANSACTION_PROVE:
                    requireClass(cla, Wire.CLA_PROPRIETARY);
                    processGetTransactionProve(apdu);
                    return;
                case Wire.INS_INITIALIZE_PERSONALIZATION:
                    requireClass(cla, Wire.CLA_PROPRIETARY);
                    processInitializePersonalization(apdu);
                    return;
                case Wire.INS_STORE_DATA:
                    processStoreData(apdu, cla);
                    return;
                case Wire.INS_GET_CHALLENGE:
                    requireClass(cla, Wire.CLA_ISO);
                    processGetChallenge(apdu);
                    return;
                case Wire.INS_APPLICATION_BLOCK:
                case Wire.INS_APPLICATION_UNBLOCK:
                    requireClass(cla, Wire.CLA_SECURE_MESSAGING);
                    processIssuerScript(apdu, pending);
                    return;
                default:
                    ISOException.throwIt(Wire.SW_INS_NOT_SUPPORTED);
            }
        } catch (CryptoException e) {
            // Every key is set before the purse is personalized, so this is a card fault; answer a
            // defined SW and leave no half-done transaction behind.
            if (JCSystem.getTransactionDepth() != 0) {
                JCSystem.abortTransaction();
            }
            Util.arrayFillNonAtomic(keyScratch, (short) 0, DOUBLE_KEY_LENGTH, (byte) 0);
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        } finally {
            // A session or TAC key lives for one command, whichever way the command ends.
            macKey.clearKey();
        }
    }

    // ======================================================================================
    // SELECT (PROTOCOL.md 3.1)
    // ======================================================================================

    private void processSelect(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        if (personalized && !contactless()) {
            rejoinSelector(buf);
        }
        short off = 2;
        buf[off++] = Wire.TAG_DF_NAME;
        short aidLengthOffset = off++;
        buf[aidLengthOffset] = JCSystem.getAID().getBytes(buf, off);
        off = (short) (off + buf[aidLengthOffset]);
        if (personalized) {
            buf[off++] = Wire.TAG_FCI_PROPRIETARY;
            short a5Length = off++;
            buf[off++] = Wire.TAG_LABEL;
            buf[off++] = labelLength;
            off = Util.arrayCopyNonAtomic(label, (short) 0, buf, off, labelLength);
            buf[off++] = Wire.TAG_PRIORITY;
            buf[off++] = (byte) 1;
            buf[off++] = priority;
            off = Util.setShort(buf, off, Wire.TAG_ISSUER_DATA);
            buf[off++] = (byte) Wire.ISSUER_DATA_LENGTH;
            off = Util.arrayCopyNonAtomic(issuerData, (short) 0, buf, off, Wire.ISSUER_DATA_LENGTH);
            buf[a5Length] = (byte) (off - a5Length - 1);
        }
        buf[0] = Wire.TAG_FCI_TEMPLATE;
        buf[1] = (byte) (off - 2);
        // A blocked application stays selected, so that the issuer can unblock it. A permanent block answers 9303 alone.
        // A temporary one answers its FCI, whose 9F0C serial the issuer's script needs, with the warning 6283 (ISO 7816-4
        // "selected file deactivated", EMV's answer for a blocked application): an error SW such as JR/T 0025's 6A81 can
        // carry no data (ISO 7816-3 T=0; jcardsim drops it), so that SW is left to INITIALIZE (docs/protocol.md 3.6).
        if (blockState == BLOCK_PERMANENT) {
            ISOException.throwIt(Wire.SW_APPLICATION_LOCKED);
        }
        apdu.setOutgoingAndSend((short) 0, off);
        if (blockState == BLOCK_TEMPORARY) {
            ISOException.throwIt(Wire.SW_SELECTED_FILE_DEACTIVATED);
        }
    }

    private short blockedSw() {
        return blockState == BLOCK_PERMANENT ? Wire.SW_APPLICATION_LOCKED : Wire.SW_FUNCTION_NOT_SUPPORTED;
    }

    // ======================================================================================
    // INITIALIZE FOR PURCHASE / FOR LOAD (PROTOCOL.md 3.2, docs/protocol.md 3.2)
    // ======================================================================================

    private void processInitialize(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        byte p1 = buf[ISO7816.OFFSET_P1];
        if (buf[ISO7816.OFFSET_P2] != Wire.P2_ELECTRONIC_PURSE
                || (p1 != Wire.P1_INITIALIZE_PURCHASE && p1 != Wire.P1_INITIALIZE_LOAD)) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        CommandData.receiveExactly(apdu, Wire.INITIALIZE_DATA_LENGTH);
        requirePersonalized();
        if (blockState != BLOCK_NONE) {
            ISOException.throwIt(blockedSw());
        }
        if (locked) {
            ISOException.throwIt(Wire.SW_APPLICATION_LOCKED);
        }
        if (buf[C_KEY_INDEX] != Wire.KEY_INDEX) {
            ISOException.throwIt(Wire.SW_KEY_INDEX_NOT_FOUND);
        }
        if (UInt32.isZero(buf, C_AMOUNT)) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        if (expired) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (p1 == Wire.P1_INITIALIZE_PURCHASE) {
            initializePurchase(apdu, buf);
        } else {
            initializeLoad(apdu, buf);
        }
    }

    private void initializePurchase(APDU apdu, byte[] buf) {
        if (contactlessDeactivated && contactless()) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (Util.getShort(offlineCounter, (short) 0) == (short) 0xFFFF) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (UInt32.compare(balance, (short) 0, buf, C_AMOUNT) < 0) {
            ISOException.throwIt(Wire.SW_INSUFFICIENT_FUNDS);
        }
        openSession(buf, PENDING_PURCHASE, offlineCounter);

        short off = Util.arrayCopyNonAtomic(balance, (short) 0, buf, (short) 0, UInt32.LENGTH);
        off = Util.arrayCopyNonAtomic(offlineCounter, (short) 0, buf, off, Wire.COUNTER_LENGTH);
        off = Util.arrayFillNonAtomic(buf, off, Wire.OVERDRAFT_LIMIT_LENGTH, (byte) 0);
        buf[off++] = keyVersions[KEY_DPK];
        buf[off++] = Wire.ALGORITHM_DES;
        off = Util.arrayCopyNonAtomic(session, S_RANDOM, buf, off, Wire.RANDOM_LENGTH);
        apdu.setOutgoingAndSend((short) 0, off);
    }

    private void initializeLoad(APDU apdu, byte[] buf) {
        if (Util.getShort(onlineCounter, (short) 0) == (short) 0xFFFF) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (UInt32.add(balance, (short) 0, buf, C_AMOUNT, buf, W_BALANCE)
                || UInt32.compare(buf, W_BALANCE, maxBalance, (short) 0) > 0) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        openSession(buf, PENDING_LOAD, onlineCounter);
        loadLoadSessionKey(buf);

        // MAC1 = MAC(session, old balance | amount | 02 | terminal ID)
        short off = Util.arrayCopyNonAtomic(balance, (short) 0, buf, W_INPUT, UInt32.LENGTH);
        off = Util.arrayCopyNonAtomic(session, S_AMOUNT, buf, off, UInt32.LENGTH);
        buf[off++] = Wire.TRANSACTION_LOAD;
        off = Util.arrayCopyNonAtomic(session, S_TERMINAL, buf, off, Wire.TERMINAL_ID_LENGTH);
        des.mac(macKey, buf, W_INPUT, (short) (off - W_INPUT), buf, W_MAC);

        off = Util.arrayCopyNonAtomic(balance, (short) 0, buf, (short) 0, UInt32.LENGTH);
        off = Util.arrayCopyNonAtomic(onlineCounter, (short) 0, buf, off, Wire.COUNTER_LENGTH);
        buf[off++] = keyVersions[KEY_DLK];
        buf[off++] = Wire.ALGORITHM_DES;
        off = Util.arrayCopyNonAtomic(session, S_RANDOM, buf, off, Wire.RANDOM_LENGTH);
        off = Util.arrayCopyNonAtomic(buf, W_MAC, buf, off, Wire.MAC_LENGTH);
        apdu.setOutgoingAndSend((short) 0, off);
    }

    /** Keeps what the DEBIT/CREDIT after this INITIALIZE needs, with a fresh card random. */
    private void openSession(byte[] buf, byte kind, byte[] counter) {
        Util.arrayCopyNonAtomic(buf, C_AMOUNT, session, S_AMOUNT, UInt32.LENGTH);
        Util.arrayCopyNonAtomic(buf, C_TERMINAL, session, S_TERMINAL, Wire.TERMINAL_ID_LENGTH);
        Util.arrayCopyNonAtomic(counter, (short) 0, session, S_COUNTER, Wire.COUNTER_LENGTH);
        random.nextBytes(session, S_RANDOM, Wire.RANDOM_LENGTH);
        session[S_PENDING] = kind;
    }

    // ======================================================================================
    // DEBIT FOR PURCHASE
    // ======================================================================================

    private void processDebit(APDU apdu, byte pending) {
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_P1] != Wire.P1_DEBIT || buf[ISO7816.OFFSET_P2] != Wire.P2_NONE) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        CommandData.receiveExactly(apdu, Wire.DEBIT_DATA_LENGTH);
        if (pending != PENDING_PURCHASE) {
            ISOException.throwIt(Wire.SW_COMMAND_OUT_OF_SEQUENCE);
        }
        if (locked) {
            ISOException.throwIt(Wire.SW_APPLICATION_LOCKED);
        }

        // Session key: 3DES(DPK, random | offline counter | rightmost 2 bytes of the terminal serial)
        short off = Util.arrayCopyNonAtomic(session, S_RANDOM, buf, W_INPUT, Wire.RANDOM_LENGTH);
        off = Util.arrayCopyNonAtomic(session, S_COUNTER, buf, off, Wire.COUNTER_LENGTH);
        Util.arrayCopyNonAtomic(buf, (short) (C_DEBIT_SERIAL + 2), buf, off, (short) 2);
        loadSessionKey(dpk, buf, W_INPUT);

        // MAC1 = MAC(session, amount | 06 | terminal ID | date | time)
        off = purchaseHeader(buf, W_INPUT);
        off = Util.arrayCopyNonAtomic(buf, C_DEBIT_DATE, buf, off, DATE_TIME_LENGTH);
        verifyMac(buf, (short) (off - W_INPUT), C_DEBIT_MAC1);

        checkDate(buf, C_DEBIT_DATE);
        if (UInt32.subtract(balance, (short) 0, session, S_AMOUNT, buf, W_BALANCE)) {
            ISOException.throwIt(Wire.SW_INSUFFICIENT_FUNDS);
        }

        // MAC2 = MAC(session, amount)
        des.mac(macKey, session, S_AMOUNT, UInt32.LENGTH, buf, W_MAC2);
        // TAC = MAC(DTK left XOR right, amount | 06 | terminal ID | terminal serial | date | time)
        off = purchaseHeader(buf, W_INPUT);
        off = Util.arrayCopyNonAtomic(buf, C_DEBIT_SERIAL, buf, off, Wire.TERMINAL_SERIAL_LENGTH);
        off = Util.arrayCopyNonAtomic(buf, C_DEBIT_DATE, buf, off, DATE_TIME_LENGTH);
        signTac(buf, (short) (off - W_INPUT));

        JCSystem.beginTransaction();
        Util.arrayCopy(buf, W_BALANCE, balance, (short) 0, UInt32.LENGTH);
        Util.setShort(offlineCounter, (short) 0, (short) (Util.getShort(session, S_COUNTER) + 1));
        log.append(session, S_COUNTER, session, S_AMOUNT, Wire.TRANSACTION_PURCHASE,
                session, S_TERMINAL, buf, C_DEBIT_DATE);
        keepProof(purchaseProof, buf);
        JCSystem.commitTransaction();

        Util.arrayCopyNonAtomic(buf, W_TAC, buf, (short) 0, Wire.MAC_LENGTH);
        Util.arrayCopyNonAtomic(buf, W_MAC2, buf, Wire.MAC_LENGTH, Wire.MAC_LENGTH);
        apdu.setOutgoingAndSend((short) 0, (short) (2 * Wire.MAC_LENGTH));
    }

    /** Writes amount | 06 | terminal ID at {@code off}; returns the offset after it. */
    private short purchaseHeader(byte[] buf, short off) {
        off = Util.arrayCopyNonAtomic(session, S_AMOUNT, buf, off, UInt32.LENGTH);
        buf[off++] = Wire.TRANSACTION_PURCHASE;
        return Util.arrayCopyNonAtomic(session, S_TERMINAL, buf, off, Wire.TERMINAL_ID_LENGTH);
    }

    // ======================================================================================
    // CREDIT FOR LOAD
    // ======================================================================================

    private void processCredit(APDU apdu, byte pending) {
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_P1] != Wire.P1_NONE || buf[ISO7816.OFFSET_P2] != Wire.P2_NONE) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        CommandData.receiveExactly(apdu, Wire.CREDIT_DATA_LENGTH);
        if (pending != PENDING_LOAD) {
            ISOException.throwIt(Wire.SW_COMMAND_OUT_OF_SEQUENCE);
        }
        if (locked) {
            ISOException.throwIt(Wire.SW_APPLICATION_LOCKED);
        }

        loadLoadSessionKey(buf);
        // MAC2 = MAC(session, amount | 02 | terminal ID | date | time)
        short off = loadHeader(buf, W_INPUT);
        off = Util.arrayCopyNonAtomic(buf, C_CREDIT_DATE, buf, off, DATE_TIME_LENGTH);
        verifyMac(buf, (short) (off - W_INPUT), C_CREDIT_MAC2);

        checkDate(buf, C_CREDIT_DATE);
        if (UInt32.add(balance, (short) 0, session, S_AMOUNT, buf, W_BALANCE)
                || UInt32.compare(buf, W_BALANCE, maxBalance, (short) 0) > 0) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }

        // TAC = MAC(DTK left XOR right,
        //           new balance | online counter before increment | amount | 02 | terminal ID | date | time)
        off = Util.arrayCopyNonAtomic(buf, W_BALANCE, buf, W_INPUT, UInt32.LENGTH);
        off = Util.arrayCopyNonAtomic(session, S_COUNTER, buf, off, Wire.COUNTER_LENGTH);
        off = loadHeader(buf, off);
        off = Util.arrayCopyNonAtomic(buf, C_CREDIT_DATE, buf, off, DATE_TIME_LENGTH);
        signTac(buf, (short) (off - W_INPUT));
        // The proof of a load carries the MAC2 the card verified.
        Util.arrayCopyNonAtomic(buf, C_CREDIT_MAC2, buf, W_MAC2, Wire.MAC_LENGTH);

        JCSystem.beginTransaction();
        Util.arrayCopy(buf, W_BALANCE, balance, (short) 0, UInt32.LENGTH);
        Util.setShort(onlineCounter, (short) 0, (short) (Util.getShort(session, S_COUNTER) + 1));
        log.append(session, S_COUNTER, session, S_AMOUNT, Wire.TRANSACTION_LOAD,
                session, S_TERMINAL, buf, C_CREDIT_DATE);
        keepProof(loadProof, buf);
        JCSystem.commitTransaction();

        Util.arrayCopyNonAtomic(buf, W_TAC, buf, (short) 0, Wire.MAC_LENGTH);
        apdu.setOutgoingAndSend((short) 0, Wire.MAC_LENGTH);
    }

    /** Writes amount | 02 | terminal ID at {@code off}; returns the offset after it. */
    private short loadHeader(byte[] buf, short off) {
        off = Util.arrayCopyNonAtomic(session, S_AMOUNT, buf, off, UInt32.LENGTH);
        buf[off++] = Wire.TRANSACTION_LOAD;
        return Util.arrayCopyNonAtomic(session, S_TERMINAL, buf, off, Wire.TERMINAL_ID_LENGTH);
    }

    /** Session key for a load: 3DES(DLK, random | online counter | 80 00), into {@link #macKey}. */
    private void loadLoadSessionKey(byte[] buf) {
        short off = Util.arrayCopyNonAtomic(session, S_RANDOM, buf, W_INPUT, Wire.RANDOM_LENGTH);
        off = Util.arrayCopyNonAtomic(session, S_COUNTER, buf, off, Wire.COUNTER_LENGTH);
        buf[off++] = (byte) 0x80;
        buf[off] = (byte) 0x00;
        loadSessionKey(dlk, buf, W_INPUT);
    }

    // ======================================================================================
    // Crypto shared by purchase and load (PROTOCOL.md 3.3)
    // ======================================================================================

    /** {@link #macKey} = 3DES-ECB(cardKey, the 8 bytes at {@code buf[off]}). */
    private void loadSessionKey(DESKey cardKey, byte[] buf, short off) {
        des.encryptBlock(cardKey, buf, off, keyScratch, (short) 0);
        macKey.setKey(keyScratch, (short) 0);
        Util.arrayFillNonAtomic(keyScratch, (short) 0, DES_BLOCK, (byte) 0);
    }

    /**
     * Checks the terminal's MAC at {@code buf[macOff]} over {@code buf[W_INPUT .. W_INPUT + length)} under
     * the session key in {@link #macKey}. The attempt is counted BEFORE the comparison, as a PIN try is: counted
     * after it, a wrong MAC cut off by a power loss in between would cost nothing, and a reader could try for free.
     * The attempt that reaches the limit locks the purse in the same transaction; a right MAC then undoes both.
     * A wrong MAC throws 9302, or 9303 once locked; a right one resets the count.
     */
    private void verifyMac(byte[] buf, short length, short macOff) {
        byte failures = (byte) (macFailures + 1);
        JCSystem.beginTransaction();
        macFailures = failures;
        if (failures >= Wire.MAC_FAILURE_LIMIT) {
            locked = true;
        }
        JCSystem.commitTransaction();

        des.mac(macKey, buf, W_INPUT, length, buf, W_MAC);
        byte diff = 0;
        for (short i = 0; i < Wire.MAC_LENGTH; i++) {
            diff |= (byte) (buf[(short) (W_MAC + i)] ^ buf[(short) (macOff + i)]);
        }
        if (diff != 0) {
            if (locked) {
                ISOException.throwIt(Wire.SW_APPLICATION_LOCKED);
            }
            ISOException.throwIt(Wire.SW_MAC_INVALID);
        }
        // Callers refuse a locked purse before they get here: the lock, if any, is this attempt's own.
        JCSystem.beginTransaction();
        macFailures = 0;
        locked = false;
        JCSystem.commitTransaction();
    }

    /** TAC over {@code buf[W_INPUT .. W_INPUT + length)} into {@code buf[W_TAC]}, under DTK left XOR right. */
    private void signTac(byte[] buf, short length) {
        dtk.getKey(keyScratch, (short) 0);
        for (short i = 0; i < DES_BLOCK; i++) {
            keyScratch[i] ^= keyScratch[(short) (i + DES_BLOCK)];
        }
        macKey.setKey(keyScratch, (short) 0);
        Util.arrayFillNonAtomic(keyScratch, (short) 0, DOUBLE_KEY_LENGTH, (byte) 0);
        des.mac(macKey, buf, W_INPUT, length, buf, W_TAC);
    }

    /**
     * The card has no clock: the MAC-authenticated date of a DEBIT or CREDIT is checked against 9F0C.
     * Before the start date → 6985; after the expiry date the application becomes expired for good → 6985.
     */
    private void checkDate(byte[] buf, short dateOff) {
        if (UInt32.compare(buf, dateOff, issuerData, Wire.ISSUER_DATA_OFFSET_START_DATE) < 0) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (UInt32.compare(buf, dateOff, issuerData, Wire.ISSUER_DATA_OFFSET_EXPIRY_DATE) > 0) {
            expired = true;
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
    }

    /** Inside the money transaction: counter (from the session) | MAC2 | TAC (from the buffer). */
    private void keepProof(byte[] proof, byte[] buf) {
        Util.arrayCopy(session, S_COUNTER, proof, PROOF_COUNTER, Wire.COUNTER_LENGTH);
        Util.arrayCopy(buf, W_MAC2, proof, PROOF_MAC2, Wire.MAC_LENGTH);
        Util.arrayCopy(buf, W_TAC, proof, PROOF_TAC, Wire.MAC_LENGTH);
        proof[PROOF_VALID] = (byte) 1;
    }

    // ======================================================================================
    // GET BALANCE, GET TRANSACTION PROVE, READ RECORD
    // ======================================================================================

    private void processGetBalance(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_P1] != Wire.P1_NONE || buf[ISO7816.OFFSET_P2] != Wire.P2_ELECTRONIC_PURSE) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        // Case 2: the byte after P2 is Le. Java Card allows no inbound call on a case 2 command (the reference
        // VM throws), so there is no data to check (docs/protocol.md 1).
        requirePersonalized();
        Util.arrayCopyNonAtomic(balance, (short) 0, buf, (short) 0, UInt32.LENGTH);
        apdu.setOutgoingAndSend((short) 0, UInt32.LENGTH);
    }

    private void processGetTransactionProve(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        byte type = buf[ISO7816.OFFSET_P2];
        if (buf[ISO7816.OFFSET_P1] != Wire.P1_NONE
                || (type != Wire.TRANSACTION_PURCHASE && type != Wire.TRANSACTION_LOAD)) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        CommandData.receiveExactly(apdu, Wire.PROVE_DATA_LENGTH);
        byte[] proof = type == Wire.TRANSACTION_PURCHASE ? purchaseProof : loadProof;
        if (proof[PROOF_VALID] == 0
                || Util.arrayCompare(proof, PROOF_COUNTER, buf, ISO7816.OFFSET_CDATA, Wire.COUNTER_LENGTH) != 0) {
            ISOException.throwIt(Wire.SW_PROOF_NOT_AVAILABLE);
        }
        Util.arrayCopyNonAtomic(proof, PROOF_MAC2, buf, (short) 0, (short) (2 * Wire.MAC_LENGTH));
        apdu.setOutgoingAndSend((short) 0, (short) (2 * Wire.MAC_LENGTH));
    }

    private void processReadRecord(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        byte n = buf[ISO7816.OFFSET_P1];
        if (buf[ISO7816.OFFSET_P2] != Wire.P2_READ_RECORD_LOG || n == 0) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        // Case 2, as GET BALANCE: nothing to receive.
        if (!log.read(n, buf, (short) 0)) {
            ISOException.throwIt(Wire.SW_RECORD_NOT_FOUND);
        }
        apdu.setOutgoingAndSend((short) 0, Wire.LOG_RECORD_LENGTH);
    }

    // ======================================================================================
    // STORE DATA personalization (docs/protocol.md 3.3)
    // ======================================================================================

    /**
     * INITIALIZE PERSONALIZATION {@code 80 E0 00 00 00}: opens a personalization session with a fresh card
     * challenge and answers personalization key version (1) | card challenge (6). Contact interface only.
     */
    private void processInitializePersonalization(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        if (contactless()) {
            ISOException.throwIt(Wire.SW_SECURITY_STATUS_NOT_SATISFIED);
        }
        if (buf[ISO7816.OFFSET_P1] != Wire.P1_NONE || buf[ISO7816.OFFSET_P2] != Wire.P2_NONE) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        // Case 2, as GET BALANCE: nothing to receive.
        perso.close();
        requireUnpersonalized();
        session[S_BLOCK] = 0;
        apdu.setOutgoingAndSend((short) 0, perso.open(random, buf));
    }

    /**
     * STORE DATA {@code 84 E2 P1 P2 Lc DGIs | C-MAC}, in an open personalization session (docs/protocol.md 3.3).
     * The block takes the session and gives it back only when it ends in 9000: any failure ends the session, and
     * the issuer alone (the holder of KPERSO) can open another. A rejected block stores nothing.
     */
    private void processStoreData(APDU apdu, byte cla) {
        boolean open = perso.take();
        byte[] buf = apdu.getBuffer();
        short lc = 0;
        try {
            if (cla == Wire.CLA_PROPRIETARY) {
                // The plaintext STORE DATA of old: anyone could have sent it.
                ISOException.throwIt(Wire.SW_SECURITY_STATUS_NOT_SATISFIED);
            }
            requireClass(cla, Wire.CLA_SECURE_MESSAGING);
            if (contactless()) {
                ISOException.throwIt(Wire.SW_SECURITY_STATUS_NOT_SATISFIED);
            }
            byte p1 = buf[ISO7816.OFFSET_P1];
            byte block = buf[ISO7816.OFFSET_P2];
            if ((byte) (p1 & ~Wire.P1_STORE_DATA_LAST) != Wire.P1_STORE_DATA_DGIS || block != session[S_BLOCK]) {
                ISOException.throwIt(Wire.SW_WRONG_P1P2);
            }
            lc = CommandData.receive(apdu);
            if (lc <= Wire.PERSO_MAC_LENGTH) {
                ISOException.throwIt(Wire.SW_WRONG_LENGTH);
            }
            requireUnpersonalized();
            if (!open) {
                ISOException.throwIt(Wire.SW_SECURITY_STATUS_NOT_SATISFIED);
            }
            perso.verify(buf, lc);
            storeBlock(buf, block, (short) (ISO7816.OFFSET_CDATA + lc - Wire.PERSO_MAC_LENGTH),
                    p1 == (byte) (Wire.P1_STORE_DATA_DGIS | Wire.P1_STORE_DATA_LAST));
        } finally {
            // Decrypted keys and session keys never outlive the command, whichever way it ends.
            Util.arrayFillNonAtomic(buf, ISO7816.OFFSET_CDATA, lc, (byte) 0);
            if (lc != 0) {
                perso.clearSessionKey();
            }
        }
    }

    /** The DGIs of an authenticated block, {@code buf[OFFSET_CDATA .. end)}; S-DEK is loaded. */
    private void storeBlock(byte[] buf, byte block, short end, boolean last) {
        // A new session sends every DGI again: the last block checks what this session stored.
        byte before = block == 0 ? 0 : dgisReceived;
        // Decrypt and check the whole block before storing any of it: a rejected block stores nothing.
        byte inBlock = 0;
        for (short off = ISO7816.OFFSET_CDATA; off < end; ) {
            short length = Dgi.length(buf, off, end);
            short tag = Util.getShort(buf, off);
            short value = (short) (off + Dgi.HEADER_LENGTH);
            short plain = Dgi.secret(tag) ? perso.decrypt(block, buf, value, length) : length;
            Dgi.check(tag, buf, value, plain);
            inBlock |= Dgi.bit(tag);
            off = (short) (value + length);
        }
        if (last && (byte) (before | inBlock) != Dgi.ALL) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        dgisReceived = before;
        for (short off = ISO7816.OFFSET_CDATA; off < end; ) {
            short length = Dgi.length(buf, off, end);
            short tag = Util.getShort(buf, off);
            short value = (short) (off + Dgi.HEADER_LENGTH);
            short plain = Dgi.secret(tag) ? PersoChannel.plainLength(buf, value, length) : length;
            storeDgi(tag, buf, value, plain);
            off = (short) (value + length);
        }
        if (last) {
            finishPersonalization(buf);
            perso.close();
            perso.forgetKey();
            return;
        }
        session[S_BLOCK]++;
        perso.keep();
    }

    /** Stores a DGI already checked by {@link Dgi#check}. */
    private void storeDgi(short tag, byte[] buf, short off, short length) {
        switch (tag) {
            case Wire.DGI_ISSUER_DATA:
                Util.arrayCopy(buf, off, issuerData, (short) 0, Wire.ISSUER_DATA_LENGTH);
                break;
            case Wire.DGI_MAX_BALANCE:
                Util.arrayCopy(buf, off, maxBalance, (short) 0, UInt32.LENGTH);
                break;
            case Wire.DGI_LABEL:
                JCSystem.beginTransaction();
                Util.arrayCopy(buf, off, label, (short) 0, length);
                labelLength = (byte) length;
                JCSystem.commitTransaction();
                break;
            case Wire.DGI_PRIORITY:
                priority = buf[off];
                break;
            case Wire.DGI_PURCHASE_KEY:
                storeKey(dpk, KEY_DPK, buf, off);
                break;
            case Wire.DGI_LOAD_KEY:
                storeKey(dlk, KEY_DLK, buf, off);
                break;
            case Wire.DGI_TAC_KEY:
                storeKey(dtk, KEY_DTK, buf, off);
                break;
            case Wire.DGI_MAINTENANCE_KEY:
                // Optional, so it has no bit in dgisReceived: damk.isInitialized() says whether it came.
                storeKey(damk, KEY_DAMK, buf, off);
                return;
            default:
                return;
        }
        dgisReceived |= Dgi.bit(tag);
    }

    private void storeKey(DESKey key, byte which, byte[] buf, short off) {
        keyVersions[which] = buf[(short) (off + Dgi.KEY_OFFSET_VERSION)];
        key.setKey(buf, (short) (off + Dgi.KEY_OFFSET_KEY));
        Util.arrayFillNonAtomic(buf, (short) (off + Dgi.KEY_OFFSET_KEY), DOUBLE_KEY_LENGTH, (byte) 0);
    }

    /**
     * The last block: register with the selector if one is installed (docs/protocol.md 2.4), then become
     * a personalized purse with balance 0 and both counters 0 (their values since install). The selector's
     * registry entry, this purse's credential and its life cycle change in one transaction, which the
     * selector joins: torn in between, the PPSE would list a purse that is not personalized. A failed
     * registration aborts it and leaves the purse unpersonalized, and ends the personalization session: the
     * issuer personalizes it again in a new one.
     */
    private void finishPersonalization(byte[] buf) {
        AID selector = JCSystem.lookupAID(selectorAid, (short) 0, selectorAidLength);
        JCSystem.beginTransaction();
        if (selector != null) {
            short sw = registerWith(selector, buf);
            if (sw != Wire.SW_OK) {
                JCSystem.abortTransaction();
                ISOException.throwIt(sw);
            }
        }
        registered = selector != null;
        personalized = true;
        JCSystem.commitTransaction();
    }

    /**
     * On a selection over the contact interface (the holder's wallet, the issuer's card manager; never a tap, whose
     * SELECT costs nothing more): asks the selector whether it still knows this purse, and registers again when it
     * does not, as after the selector was reinstalled (the remedy for a blocked holder PIN, which empties the
     * registry) or installed after this purse was personalized. The purse comes back new, under a fresh credential,
     * refusing contactless purchases until the holder activates it (docs/protocol.md 2.4). Whatever goes wrong here
     * leaves the purse as it was and the SELECT answered.
     */
    private void rejoinSelector(byte[] buf) {
        AID selector = JCSystem.lookupAID(selectorAid, (short) 0, selectorAidLength);
        if (selector == null) {
            return;
        }
        try {
            Shareable sio = JCSystem.getAppletShareableInterfaceObject(selector, Link.SIO_REGISTRY);
            if (sio == null || ((SelectorRegistry) sio).isRegistered()) {
                return;
            }
        } catch (Exception e) {
            return; // a selector that refuses to say or fails: nothing is changed
        }
        JCSystem.beginTransaction();
        if (registerWith(selector, buf) != Wire.SW_OK) {
            JCSystem.abortTransaction();
            return;
        }
        registered = true;
        JCSystem.commitTransaction();
    }

    /**
     * Inside the caller's transaction: registers {@code L | label | priority} through {@code buf} and keeps the fresh
     * credential. Every registration starts new (inactive until the holder activates it), so the purse refuses
     * contactless purchases from here on until the selector tells it otherwise ({@link #holderActivation}). Returns
     * 9000 or the refusal; the caller aborts on a refusal.
     */
    private short registerWith(AID selector, byte[] buf) {
        Shareable sio = JCSystem.getAppletShareableInterfaceObject(selector, Link.SIO_REGISTRY);
        if (sio == null) {
            return Wire.SW_CONDITIONS_NOT_SATISFIED;
        }
        // The command data is stored (or, on a SELECT, read) by now, so the buffer is free: L | label | priority at 0.
        buf[0] = labelLength;
        Util.arrayCopyNonAtomic(label, (short) 0, buf, (short) 1, labelLength);
        buf[(short) (1 + labelLength)] = priority;
        short sw = Wire.SW_OK;
        short returned = 0;
        try {
            returned = ((SelectorRegistry) sio).register(buf, (short) 0);
        } catch (ISOException e) {
            sw = e.getReason();
        } catch (RuntimeException e) {
            // A selector that is not a SelectorRegistry, or one that fails in another way.
            sw = Wire.SW_CONDITIONS_NOT_SATISFIED;
        }
        if (sw == Wire.SW_OK && returned != Link.CREDENTIAL_LENGTH) {
            sw = Wire.SW_CONDITIONS_NOT_SATISFIED;
        }
        if (sw == Wire.SW_OK) {
            keepCredential(buf);
            contactlessDeactivated = true;
        }
        Util.arrayFillNonAtomic(buf, (short) 0, Link.CREDENTIAL_LENGTH, (byte) 0);
        return sw;
    }

    /**
     * Inside the registration transaction: the key schedules of Kenc ({@code buf[0..16)}) and Kmac ({@code buf[16..32)}),
     * a round key at a time through {@link #keyScratch}, and Kmac's CMAC subkey K1.
     */
    private void keepCredential(byte[] buf) {
        SoftAes.expandKey(buf, Link.AES_KEY_LENGTH, macSchedule, (short) 0, keyScratch);
        Util.arrayFillNonAtomic(keyScratch, (short) 0, SoftAes.BLOCK, (byte) 0);
        SoftAes.encrypt(macSchedule, (short) 0, keyScratch, (short) 0);
        OneBlockCmac.dbl(keyScratch, (short) 0);
        Util.arrayCopy(keyScratch, (short) 0, cmacSubkey, (short) 0, SoftAes.BLOCK);
        Util.arrayFillNonAtomic(keyScratch, (short) 0, SoftAes.BLOCK, (byte) 0);
        SoftAes.expandKey(buf, (short) 0, encSchedule, (short) 0, keyScratch);
    }

    // ======================================================================================
    // Issuer scripts: GET CHALLENGE, APPLICATION BLOCK / UNBLOCK (JR/T 0025, docs/protocol.md 3.6)
    // ======================================================================================

    /** {@code 00 84 00 00 04}: a fresh random, the IV of the next command's script MAC and of nothing else. */
    private void processGetChallenge(APDU apdu) {
        byte[] buf = apdu.getBuffer();
        if (buf[ISO7816.OFFSET_P1] != Wire.P1_NONE || buf[ISO7816.OFFSET_P2] != Wire.P2_NONE) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        // Before personalization the bytes of S_RANDOM belong to the personalization session (S_PERSO), and there is
        // no maintenance key a challenge could serve.
        requirePersonalized();
        // Case 2 like GET BALANCE: nothing to receive, the card answers its 4 bytes whatever Le says.
        random.nextBytes(session, S_RANDOM, Wire.CHALLENGE_LENGTH);
        session[S_PENDING] = PENDING_CHALLENGE;
        Util.arrayCopyNonAtomic(session, S_RANDOM, buf, (short) 0, Wire.CHALLENGE_LENGTH);
        apdu.setOutgoingAndSend((short) 0, Wire.CHALLENGE_LENGTH);
    }

    /**
     * {@code 84 1E 00 P2 04 MAC} (APPLICATION BLOCK, P2 00 temporary / 01 permanent) and {@code 84 18 00 00 04 MAC}
     * (APPLICATION UNBLOCK). MAC = the first 4 bytes of 3DES(DAMK, (challenge | 00000000) XOR (CLA INS P1 P2 Lc 80 00 00)):
     * ISO 9797-1 CBC-MAC, padding method 2, IV = the challenge of the GET CHALLENGE just before, over the one block the
     * header and its padding make. The challenge is spent by any command (process() clears it), so a MAC is good once.
     * A wrong MAC is counted before the comparison, as MAC1 is; the tenth in a row retires the maintenance key (6983)
     * rather than the purse, and a reader in the field cannot spend one: the commands are contact only.
     */
    private void processIssuerScript(APDU apdu, byte pending) {
        byte[] buf = apdu.getBuffer();
        if (contactless()) {
            ISOException.throwIt(Wire.SW_SECURITY_STATUS_NOT_SATISFIED);
        }
        boolean block = buf[ISO7816.OFFSET_INS] == Wire.INS_APPLICATION_BLOCK;
        byte p2 = buf[ISO7816.OFFSET_P2];
        if (buf[ISO7816.OFFSET_P1] != Wire.P1_NONE
                || (block ? p2 != Wire.P2_BLOCK_TEMPORARY && p2 != Wire.P2_BLOCK_PERMANENT : p2 != Wire.P2_NONE)) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        CommandData.receiveExactly(apdu, Wire.SCRIPT_MAC_LENGTH);
        requirePersonalized();
        if (!damk.isInitialized()) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        if (scriptFailures >= Wire.SCRIPT_FAILURE_LIMIT) {
            ISOException.throwIt(Wire.SW_PIN_BLOCKED);
        }
        if (pending != PENDING_CHALLENGE) {
            ISOException.throwIt(Wire.SW_REFERENCE_DATA_NOT_USABLE);
        }
        if (blockState == BLOCK_PERMANENT) {
            ISOException.throwIt(Wire.SW_APPLICATION_LOCKED);
        }
        byte failures = (byte) (scriptFailures + 1);
        JCSystem.beginTransaction();
        scriptFailures = failures;
        JCSystem.commitTransaction();

        Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CLA, buf, W_INPUT, SCRIPT_HEADER_LENGTH);
        short pad = (short) (W_INPUT + SCRIPT_HEADER_LENGTH);
        buf[pad] = (byte) 0x80;
        Util.arrayFillNonAtomic(buf, (short) (pad + 1), (short) (DES_BLOCK - SCRIPT_HEADER_LENGTH - 1), (byte) 0);
        for (short i = 0; i < Wire.CHALLENGE_LENGTH; i++) {
            buf[(short) (W_INPUT + i)] ^= session[(short) (S_RANDOM + i)];
        }
        des.encryptBlock(damk, buf, W_INPUT, buf, W_MAC);
        byte diff = 0;
        for (short i = 0; i < Wire.SCRIPT_MAC_LENGTH; i++) {
            diff |= (byte) (buf[(short) (W_MAC + i)] ^ buf[(short) (ISO7816.OFFSET_CDATA + i)]);
        }
        Util.arrayFillNonAtomic(buf, W_INPUT, (short) (W_MAC + DES_BLOCK - W_INPUT), (byte) 0);
        if (diff != 0) {
            ISOException.throwIt(failures >= Wire.SCRIPT_FAILURE_LIMIT ? Wire.SW_PIN_BLOCKED : Wire.SW_SM_DATA_INCORRECT);
        }
        JCSystem.beginTransaction();
        scriptFailures = 0;
        if (block) {
            blockState = p2 == Wire.P2_BLOCK_PERMANENT ? BLOCK_PERMANENT : BLOCK_TEMPORARY;
        } else {
            // What the issuer lifts: its own temporary block and the MAC-failure lock, with the count that led to it.
            blockState = BLOCK_NONE;
            locked = false;
            macFailures = 0;
        }
        JCSystem.commitTransaction();
    }

    // ======================================================================================
    // Account information for the selector (docs/protocol.md 4)
    // ======================================================================================

    @Override
    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        if (parameter == Link.SIO_ACCOUNT_INFO && clientAID != null
                && clientAID.equals(selectorAid, (short) 0, selectorAidLength)) {
            return this;
        }
        return null;
    }

    /**
     * Record C | T for the selector's challenge, in the 24 bytes given: {@code C = AES(Kenc, header | challenge)} in
     * place, then {@code T} = the first 8 bytes of {@code AES(Kmac, C XOR K1)}, computed in {@link #tagScratch}. Runs in
     * this purse's context while the PPSE is selected: it touches no engine and no CLEAR_ON_DESELECT array of the purse,
     * both out of reach there on a card.
     */
    @Override
    public short readAccountInfo(byte[] buffer, short offset) {
        if (!personalized || !registered || buffer == null || offset < 0
                || offset > (short) ((short) buffer.length - Link.RECORD_LENGTH)) {
            return 0;
        }
        // challenge | ? | ?  ->  header | challenge | ?  ->  C | ?  ->  C | T
        Util.arrayCopyNonAtomic(buffer, offset, buffer, (short) (offset + Link.P_CHALLENGE), Link.CHALLENGE_LENGTH);
        writeRecordHeader(buffer, offset);
        SoftAes.encrypt(encSchedule, (short) 0, buffer, offset);
        for (short i = 0; i < SoftAes.BLOCK; i++) {
            tagScratch[i] = (byte) (buffer[(short) (offset + i)] ^ cmacSubkey[i]);
        }
        SoftAes.encrypt(macSchedule, (short) 0, tagScratch, (short) 0);
        Util.arrayCopyNonAtomic(tagScratch, (short) 0, buffer, (short) (offset + Link.PLAINTEXT_LENGTH), Link.TAG_LENGTH);
        Util.arrayFillNonAtomic(tagScratch, (short) 0, SoftAes.BLOCK, (byte) 0);
        return Link.RECORD_LENGTH;
    }

    @Override
    public void holderActivation(boolean active) {
        contactlessDeactivated = !active;
    }

    /** The command came over a contactless interface (ISO/IEC 14443 A or B, or a SIM's HCI gate). */
    private static boolean contactless() {
        byte media = (byte) (APDU.getProtocol() & APDU.PROTOCOL_MEDIA_MASK);
        return media == APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_A || media == APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_B
                || media == APDU.PROTOCOL_MEDIA_HCI_APDU_GATE;
    }

    /** version | status | currency | balance, the first 8 bytes of the record plaintext. */
    private void writeRecordHeader(byte[] buffer, short offset) {
        buffer[(short) (offset + Link.P_VERSION)] = Link.RECORD_VERSION;
        buffer[(short) (offset + Link.P_STATUS)] =
                locked || blockState != BLOCK_NONE ? Link.STATUS_LOCKED : expired ? Link.STATUS_EXPIRED : Link.STATUS_ACTIVE;
        Util.arrayCopyNonAtomic(issuerData, Wire.ISSUER_DATA_OFFSET_CURRENCY,
                buffer, (short) (offset + Link.P_CURRENCY), (short) 2);
        Util.arrayCopyNonAtomic(balance, (short) 0, buffer, (short) (offset + Link.P_BALANCE), UInt32.LENGTH);
    }

    // ======================================================================================
    // Helpers
    // ======================================================================================

    /** A known instruction under the other class byte is an unknown instruction there. */
    private static void requireClass(byte cla, byte expected) {
        if (cla != expected) {
            ISOException.throwIt(Wire.SW_INS_NOT_SUPPORTED);
        }
    }

    private void requirePersonalized() {
        if (!personalized) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
    }

    private void requireUnpersonalized() {
        if (personalized) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
    }


}
