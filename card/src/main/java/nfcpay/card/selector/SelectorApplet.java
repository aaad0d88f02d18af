package nfcpay.card.selector;

import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;
import javacard.security.RandomData;
import nfcpay.card.CommandData;
import nfcpay.card.InstallData;
import nfcpay.card.Wire;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.CardRandom;
import nfcpay.card.link.Link;
import nfcpay.card.link.SelectorRegistry;

/**
 * The PPSE smart selector (PROTOCOL.md 2; docs/protocol.md 2 and 4): lists the registered card
 * applications in its FCI and, on GET PROCESSING OPTIONS, picks inside the card the one that can pay,
 * from account records each application authenticates under the credential this applet gave it.
 *
 * <p>Install parameters (GlobalPlatform {@code Li AID | Lc privileges | La params}, params optional):
 * byte 0 flags ({@link Wire#INSTALL_FLAG_LEGACY}, {@link Wire#INSTALL_FLAG_SOFTWARE_CMAC}), byte 1 policy ({@code Wire.POLICY_*}), bytes 2.. the
 * holder PIN as 4..8 ASCII digits (absent: the transport PIN, docs/protocol.md 5.2).
 *
 * <p>The holder's own commands (list, order, policy, activation, PIN) are in {@link HolderCommands}.
 */
public final class SelectorApplet extends Applet implements SelectorRegistry {

    // ---- FCI sizes (docs/protocol.md 2.2): BER lengths up to 82 HH LL ----
    /** {@code 61 L { 4F 10 <AID 16> 50 10 <label 16> 87 01 <priority> }}. */
    private static final short DIRECTORY_ENTRY_MAX = (short) (2 + 2 + Registry.AID_MAX + 2 + Link.LABEL_MAX + 3);
    /** {@code 9F38 0B} and the 11 bytes of {@link Wire#writeSmartSelectionPdol}. */
    private static final short PDOL_TLV_LENGTH = (short) (3 + 11);
    private static final short FCI_MAX = (short) (1 + 3 + 2 + Registry.AID_MAX
            + 1 + 3 + 2 + 3 + Registry.CAPACITY * DIRECTORY_ENTRY_MAX + PDOL_TLV_LENGTH);
    /** A short response carries at most 256 bytes; the rest waits for GET RESPONSE (ISO 7816-4 7.6.1). */
    private static final short RESPONSE_CHUNK = 256;

    // ---- GPO data inside template 83, in PDOL order: 9F02 06 | 5F2A 02 | 9C 01 | 9F37 04 ----
    private static final short GPO_AMOUNT = (short) (ISO7816.OFFSET_CDATA + 2);
    private static final short AMOUNT_N12_LENGTH = 6;
    private static final short GPO_CURRENCY = (short) (GPO_AMOUNT + AMOUNT_N12_LENGTH);
    private static final short CURRENCY_LENGTH = 2;
    private static final short GPO_TYPE = (short) (GPO_CURRENCY + CURRENCY_LENGTH);

    /** Where the account record is exchanged with a card application, in the APDU buffer. */
    private static final short RECORD_OFFSET = 0;

    // ---- work[] layout (CLEAR_ON_DESELECT: used only while the PPSE is selected) ----
    private static final short W_ORDER = 0;
    private static final short W_CANDIDATES = (short) (W_ORDER + Registry.CAPACITY);
    private static final short W_BALANCES = (short) (W_CANDIDATES + Registry.CAPACITY);
    private static final short W_CHALLENGE = (short) (W_BALANCES + Registry.CAPACITY * Amounts.BINARY_LENGTH);
    private static final short W_CURRENCY = (short) (W_CHALLENGE + Link.CHALLENGE_LENGTH);
    private static final short W_AMOUNT = (short) (W_CURRENCY + CURRENCY_LENGTH);
    private static final short W_RANDOM = (short) (W_AMOUNT + Amounts.BINARY_LENGTH);
    private static final short WORK_LENGTH = (short) (W_RANDOM + 1);

    // ---- chain[] (CLEAR_ON_DESELECT): the FCI bytes still waiting for GET RESPONSE ----
    private static final short CHAIN_OFFSET = 0;
    private static final short CHAIN_LEFT = 1;

    /** Rejection sampling for ANY gives up after this many draws (probability below 1e-11). */
    private static final short RANDOM_DRAWS = 8;

    private final boolean legacy;
    /** {@code length | AID}: the DF name in the FCI, and never a registrant. */
    private final byte[] ownAid = new byte[(short) (1 + Registry.AID_MAX)];

    private final Registry registry = new Registry();
    private final AccountRecords records;
    /** Draws credentials, challenges and the ANY pick: the card's best generator ({@link CardRandom#best}). */
    private final RandomData random = CardRandom.best();

    /**
     * The FCI being sent, and the holder's listing pages. CLEAR_ON_RESET and cleared at every deselection by hand:
     * the CLEAR_ON_DESELECT RAM this would take is most of what the reference VM has for every applet (1440 bytes),
     * and the purses need theirs (docs/card.md).
     */
    private final byte[] fci = JCSystem.makeTransientByteArray(FCI_MAX, JCSystem.CLEAR_ON_RESET);
    private final short[] chain = JCSystem.makeTransientShortArray((short) 2, JCSystem.CLEAR_ON_DESELECT);
    /** [0]: a successful SELECT allows exactly one GET PROCESSING OPTIONS (EMV Book 3). */
    private final boolean[] armed = JCSystem.makeTransientBooleanArray((short) 1, JCSystem.CLEAR_ON_DESELECT);
    private final byte[] work = JCSystem.makeTransientByteArray(WORK_LENGTH, JCSystem.CLEAR_ON_DESELECT);

    // Registration runs in a card application's session, when the selector is not selected: on a real
    // card its CLEAR_ON_DESELECT arrays are out of reach then, so these are CLEAR_ON_RESET.
    /** {@code length | AID} of the client that last asked for the registry; consumed by {@link #register}. */
    private final byte[] client = JCSystem.makeTransientByteArray((short) (1 + Registry.AID_MAX), JCSystem.CLEAR_ON_RESET);
    /** The label, copied out of the caller's buffer before the credential overwrites it. */
    private final byte[] request = JCSystem.makeTransientByteArray(Link.LABEL_MAX, JCSystem.CLEAR_ON_RESET);
    /** [0]: the PPSE is the selected applet. */
    private final boolean[] selected = JCSystem.makeTransientBooleanArray((short) 1, JCSystem.CLEAR_ON_RESET);

    private final HolderCommands holder;

    private SelectorApplet(byte flags, byte policy, byte[] pin, short pinOffset, byte pinLength) {
        this.legacy = (flags & Wire.INSTALL_FLAG_LEGACY) != 0;
        records = new AccountRecords((flags & Wire.INSTALL_FLAG_SOFTWARE_CMAC) != 0);
        holder = new HolderCommands(registry, records, random, fci, policy, pin, pinOffset, pinLength);
    }

    /**
     * {@code bArray[bOffset]} = {@code Li AID | Lc control info | La params} ({@link InstallData}); Li = 0
     * creates the selector under its class AID. A malformed install string, an unknown flag bit or policy,
     * or parameter bytes beyond the policy that are not a 4..8 digit PIN → 6A80.
     */
    public static void install(byte[] bArray, short bOffset, byte bLength) {
        short lengthAt = InstallData.parametersLengthOffset(bArray, bOffset, bLength);
        byte aidLength = bLength == 0 ? 0 : bArray[bOffset];
        if (aidLength != 0 && (aidLength < 5 || aidLength > Registry.AID_MAX)) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        short paramsLength = InstallData.parametersLength(bArray, lengthAt);
        short at = (short) (lengthAt + 1);
        short pinLength = paramsLength > Wire.INSTALL_PIN_OFFSET ? (short) (paramsLength - Wire.INSTALL_PIN_OFFSET) : 0;
        short pinOffset = (short) (at + Wire.INSTALL_PIN_OFFSET);
        if (pinLength != 0 && HolderCommands.pinDigits(bArray, pinOffset, pinLength) != pinLength) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        byte flags = paramsLength > 0 ? bArray[at] : (byte) 0;
        byte policy = paramsLength > 1 ? bArray[(short) (at + 1)] : Wire.POLICY_PRIORITY;
        if ((flags & (byte) ~(Wire.INSTALL_FLAG_LEGACY | Wire.INSTALL_FLAG_SOFTWARE_CMAC)) != 0
                || policy < Wire.POLICY_PRIORITY || policy > Wire.POLICY_ANY) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        SelectorApplet applet = new SelectorApplet(flags, policy, bArray, pinOffset, (byte) pinLength);
        if (aidLength == 0) {
            applet.register(); // ownAid is learnt at the first selection
        } else {
            applet.ownAid[0] = aidLength;
            Util.arrayCopyNonAtomic(bArray, (short) (bOffset + 1), applet.ownAid, (short) 1, aidLength);
            applet.register(bArray, (short) (bOffset + 1), aidLength);
        }
    }

    @Override
    public boolean select() {
        if (ownAid[0] == 0) {
            // Created under its class AID: the runtime names it now, in this applet's own context.
            ownAid[0] = JCSystem.getAID().getBytes(ownAid, (short) 1);
        }
        selected[0] = true;
        holder.endSession();
        return true;
    }

    @Override
    public void deselect() {
        selected[0] = false;
        Util.arrayFillNonAtomic(fci, (short) 0, FCI_MAX, (byte) 0);
        holder.endSession();
    }

    @Override
    public void process(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        byte cla = buffer[ISO7816.OFFSET_CLA];
        byte ins = buffer[ISO7816.OFFSET_INS];
        if (cla != Wire.CLA_ISO || ins != Wire.INS_GET_RESPONSE) {
            // ISO 7816-4 7.6.1: the rest of a response is available to the very next command only.
            chain[CHAIN_LEFT] = 0;
        }
        if (cla != Wire.CLA_PROPRIETARY || ins != Wire.INS_GET_STATUS) {
            holder.endListing(); // likewise a GET STATUS "next" (Amd C)
        }
        if (selectingApplet()) {
            processSelectPpse(apdu);
            return;
        }
        if (cla != Wire.CLA_ISO && cla != Wire.CLA_PROPRIETARY) {
            ISOException.throwIt(Wire.SW_CLA_NOT_SUPPORTED);
        }
        // No life-cycle state: the selector serves from install on; an empty registry answers 6A82.
        switch (ins) {
            case Wire.INS_SELECT:
                processSelectOther(apdu);
                return;
            case Wire.INS_GET_RESPONSE:
                processGetResponse(apdu);
                return;
            case Wire.INS_GET_PROCESSING_OPTIONS:
                processGetProcessingOptions(apdu);
                return;
            case Wire.INS_GET_STATUS:
                holder.processGetStatus(apdu);
                return;
            case Wire.INS_SET_STATUS:
                holder.processSetStatus(apdu);
                return;
            case Wire.INS_SET_ORDER:
                holder.processSetOrder(apdu);
                return;
            case Wire.INS_SET_POLICY:
                holder.processSetPolicy(apdu);
                return;
            case Wire.INS_GET_DATA:
                holder.processGetData(apdu);
                return;
            case Wire.INS_VERIFY:
                holder.processVerify(apdu);
                return;
            case Wire.INS_CHANGE_REFERENCE_DATA:
                holder.processChangeReferenceData(apdu);
                return;
            default:
                ISOException.throwIt(Wire.SW_INS_NOT_SUPPORTED);
        }
    }

    // ------------------------------------------------------------------ SELECT PPSE

    private void processSelectPpse(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        armed[0] = false;
        if (buffer[ISO7816.OFFSET_CLA] != Wire.CLA_ISO) {
            ISOException.throwIt(Wire.SW_CLA_NOT_SUPPORTED); // a logical channel: not supported
        }
        if (buffer[ISO7816.OFFSET_P1] != Wire.P1_SELECT_BY_NAME || buffer[ISO7816.OFFSET_P2] != Wire.P2_SELECT_FIRST_FCI) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        registry.purgeDeleted();
        short length = buildFci();
        if (length == 0) {
            ISOException.throwIt(Wire.SW_FILE_NOT_FOUND);
        }
        armed[0] = true;
        sendFci(apdu, (short) 0, length);
    }

    /**
     * A SELECT that jcardsim hands to the selected PPSE because no applet has that AID: the
     * application is not here. It also ends the selection's single GET PROCESSING OPTIONS.
     */
    private void processSelectOther(APDU apdu) {
        if (apdu.getBuffer()[ISO7816.OFFSET_CLA] != Wire.CLA_ISO) {
            ISOException.throwIt(Wire.SW_INS_NOT_SUPPORTED);
        }
        armed[0] = false;
        ISOException.throwIt(Wire.SW_FILE_NOT_FOUND);
    }

    /**
     * Writes {@code 6F { 84 <DF name> A5 { BF0C { 61 {...} ... } [9F38 <PDOL>] } }} into {@link #fci}
     * for the registered, active applications in priority order; returns its length, 0 when none.
     */
    private short buildFci() {
        short count = registry.orderActive(work, W_ORDER);
        if (count == 0) {
            return 0;
        }
        short directory = 0;
        for (short k = 0; k < count; k++) {
            directory += (short) (2 + registry.entryLength(work[(short) (W_ORDER + k)]));
        }
        short bf0c = (short) (2 + berLengthSize(directory) + directory);
        short a5Body = (short) (bf0c + (legacy ? 0 : PDOL_TLV_LENGTH));
        short a5 = (short) (1 + berLengthSize(a5Body) + a5Body);
        short fciBody = (short) (2 + ownAid[0] + a5);

        short at = 0;
        fci[at++] = Wire.TAG_FCI_TEMPLATE;
        at = writeBerLength(fci, at, fciBody);
        fci[at++] = Wire.TAG_DF_NAME;
        fci[at++] = ownAid[0];
        at = Util.arrayCopyNonAtomic(ownAid, (short) 1, fci, at, ownAid[0]);
        fci[at++] = Wire.TAG_FCI_PROPRIETARY;
        at = writeBerLength(fci, at, a5Body);
        at = Util.setShort(fci, at, Wire.TAG_FCI_ISSUER_DISCRETIONARY);
        at = writeBerLength(fci, at, directory);
        for (short k = 0; k < count; k++) {
            short slot = work[(short) (W_ORDER + k)];
            fci[at++] = Wire.TAG_DIRECTORY_ENTRY;
            fci[at++] = (byte) registry.entryLength(slot);
            at = registry.writeEntry(slot, fci, at);
        }
        if (!legacy) {
            at = Util.setShort(fci, at, Wire.TAG_PDOL);
            fci[at++] = (byte) Wire.SMART_SELECTION_PDOL_LENGTH;
            at = Wire.writeSmartSelectionPdol(fci, at);
        }
        return at;
    }

    private static short berLengthSize(short length) {
        if (length < 128) {
            return 1;
        }
        return length < 256 ? (short) 2 : (short) 3;
    }

    private static short writeBerLength(byte[] out, short at, short length) {
        if (length >= 256) {
            out[at++] = (byte) 0x82;
            return Util.setShort(out, at, length);
        }
        if (length >= 128) {
            out[at++] = (byte) 0x81;
        }
        out[at++] = (byte) length;
        return at;
    }

    /**
     * Sends up to 256 bytes of {@link #fci} from {@code offset}; when more remain, ends with 61xx
     * (xx = bytes left, 00 for 256 or more) and keeps the rest for GET RESPONSE. Le is not consulted
     * (docs/protocol.md 1). jcardsim returns the data sent before an ISOException whose SW is 61xx
     * (JcardsimProbeTest pins it); on a real card the runtime does the same for 61xx under T=1, and
     * under T=0 turns the outgoing data into its own 61xx/GET RESPONSE exchange.
     */
    private void sendFci(APDU apdu, short offset, short left) {
        short chunk = left > RESPONSE_CHUNK ? RESPONSE_CHUNK : left;
        left -= chunk;
        chain[CHAIN_OFFSET] = (short) (offset + chunk);
        chain[CHAIN_LEFT] = left;
        // Straight from the FCI array: the APDU buffer may be shorter than a 256-byte response (it is on the
        // reference VM), and sendBytesLong sends through it in pieces.
        apdu.setOutgoing();
        apdu.setOutgoingLength(chunk);
        apdu.sendBytesLong(fci, offset, chunk);
        if (left > 0) {
            ISOException.throwIt((short) (Wire.SW_BYTES_REMAINING | (left > 255 ? 0 : left)));
        }
    }

    // ------------------------------------------------------------------ GET RESPONSE

    private void processGetResponse(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        if (buffer[ISO7816.OFFSET_CLA] != Wire.CLA_ISO) {
            ISOException.throwIt(Wire.SW_INS_NOT_SUPPORTED);
        }
        if (Util.getShort(buffer, ISO7816.OFFSET_P1) != 0) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        // Case 2: the byte after P2 is Le, and Java Card allows no inbound call (docs/protocol.md 1).
        if (chain[CHAIN_LEFT] == 0) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        sendFci(apdu, chain[CHAIN_OFFSET], chain[CHAIN_LEFT]);
    }

    // ------------------------------------------------------------------ GET PROCESSING OPTIONS

    /**
     * Smart selection (docs/protocol.md 2.3), checks in the documented order. The single GPO a SELECT
     * allows is spent by any GPO that gets past the 6985 check, whatever its outcome, so each answer
     * (in particular each 9401, which says something about the balances) costs a fresh SELECT.
     */
    private void processGetProcessingOptions(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        if (legacy || buffer[ISO7816.OFFSET_CLA] != Wire.CLA_PROPRIETARY) {
            ISOException.throwIt(Wire.SW_INS_NOT_SUPPORTED);
        }
        if (Util.getShort(buffer, ISO7816.OFFSET_P1) != 0) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        if (!armed[0]) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        armed[0] = false;
        short lc = CommandData.receive(apdu);
        if (lc < 2 || lc != (short) (2 + (short) (buffer[(short) (ISO7816.OFFSET_CDATA + 1)] & 0xFF))) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
        if (buffer[ISO7816.OFFSET_CDATA] != Wire.TAG_COMMAND_TEMPLATE
                || buffer[(short) (ISO7816.OFFSET_CDATA + 1)] != (byte) Wire.PDOL_DATA_LENGTH) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        if (!Amounts.isBcd(buffer, GPO_AMOUNT, AMOUNT_N12_LENGTH) || Amounts.isZero(buffer, GPO_AMOUNT, AMOUNT_N12_LENGTH)
                || !Amounts.isBcd(buffer, GPO_CURRENCY, CURRENCY_LENGTH)) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        if (buffer[GPO_TYPE] != Wire.TRANSACTION_TYPE_PURCHASE) {
            ISOException.throwIt(Wire.SW_FUNCTION_NOT_SUPPORTED);
        }
        registry.purgeDeleted();
        short count = registry.orderActive(work, W_ORDER);
        if (count == 0) {
            ISOException.throwIt(Wire.SW_FILE_NOT_FOUND);
        }
        Util.arrayCopyNonAtomic(buffer, GPO_CURRENCY, work, W_CURRENCY, CURRENCY_LENGTH);
        if (!Amounts.bcdToBinary(buffer, GPO_AMOUNT, AMOUNT_N12_LENGTH, work, W_AMOUNT)) {
            ISOException.throwIt(Wire.SW_INSUFFICIENT_FUNDS); // above FFFFFFFF fen: no purse holds that
        }
        short candidates = collectCandidates(buffer, count);
        short slot = candidates == 0 ? Registry.NO_SLOT : work[(short) (W_CANDIDATES + choose(candidates))];
        Util.arrayFillNonAtomic(work, W_BALANCES, (short) (Registry.CAPACITY * Amounts.BINARY_LENGTH), (byte) 0);
        if (slot == Registry.NO_SLOT) {
            ISOException.throwIt(Wire.SW_INSUFFICIENT_FUNDS);
        }
        short at = 0;
        buffer[at++] = Wire.TAG_RESPONSE_TEMPLATE_2;
        buffer[at++] = (byte) registry.entryLength(slot);
        at = registry.writeEntry(slot, buffer, at);
        apdu.setOutgoingAndSend((short) 0, at);
    }

    /**
     * Asks each ordered application for its account record and keeps, in priority order, those whose
     * record is authentic, fresh, active, in the GPO's currency and covers the amount; returns how many.
     */
    private short collectCandidates(byte[] buffer, short count) {
        short candidates = 0;
        for (short k = 0; k < count; k++) {
            short slot = work[(short) (W_ORDER + k)];
            AID aid = registry.lookup(slot);
            if (aid == null) {
                registry.remove(slot);
                continue;
            }
            AccountInfoSource source = AccountRecords.source(aid);
            if (source == null) {
                continue;
            }
            random.nextBytes(work, W_CHALLENGE, Link.CHALLENGE_LENGTH);
            Util.arrayCopyNonAtomic(work, W_CHALLENGE, buffer, RECORD_OFFSET, Link.CHALLENGE_LENGTH);
            boolean covers = AccountRecords.read(source, buffer, RECORD_OFFSET) == Link.RECORD_LENGTH
                    && records.covers(buffer, RECORD_OFFSET, registry.encKey(slot), registry.macKey(slot),
                            work, W_CHALLENGE, work, W_CURRENCY, work, W_AMOUNT,
                            work, (short) (W_BALANCES + candidates * Amounts.BINARY_LENGTH));
            Util.arrayFillNonAtomic(buffer, RECORD_OFFSET, Link.RECORD_LENGTH, (byte) 0);
            if (covers) {
                work[(short) (W_CANDIDATES + candidates)] = (byte) slot;
                candidates++;
            }
        }
        Util.arrayFillNonAtomic(work, W_CHALLENGE, Link.CHALLENGE_LENGTH, (byte) 0);
        return candidates;
    }

    /** Index into the candidates (priority order) that the holder's (at first the install-time) policy picks. */
    private short choose(short candidates) {
        short best = 0;
        byte policy = holder.policy();
        if (policy == Wire.POLICY_ANY) {
            return randomBelow(candidates);
        }
        if (policy == Wire.POLICY_PRIORITY) {
            return best;
        }
        for (short i = 1; i < candidates; i++) {
            short c = Amounts.compareUnsigned(work, (short) (W_BALANCES + i * Amounts.BINARY_LENGTH),
                    work, (short) (W_BALANCES + best * Amounts.BINARY_LENGTH), Amounts.BINARY_LENGTH);
            // Strict comparisons: on equal balances the earlier (higher priority) candidate stays.
            if (policy == Wire.POLICY_BEST_FIT ? c < 0 : c > 0) {
                best = i;
            }
        }
        return best;
    }

    /** Uniform in [0, bound), bound 1..16, by rejection sampling over one random byte. */
    private short randomBelow(short bound) {
        short limit = (short) (256 - (short) (256 % bound));
        short r = 0;
        for (short draw = 0; draw < RANDOM_DRAWS; draw++) {
            random.nextBytes(work, W_RANDOM, (short) 1);
            r = (short) (work[W_RANDOM] & 0xFF);
            if (r < limit) {
                break;
            }
        }
        return (short) (r % bound);
    }

    // ------------------------------------------------------------------ Registration (SIO)

    /**
     * {@link Link#SIO_REGISTRY}: records the client AID the runtime hands over (the caller's identity,
     * never something the caller states) and returns the registry. Anything else, including
     * {@link Link#SIO_ACCOUNT_INFO}, gets null: the selector serves no account information.
     */
    @Override
    public Shareable getShareableInterfaceObject(AID clientAID, byte parameter) {
        if (parameter != Link.SIO_REGISTRY || clientAID == null) {
            return null;
        }
        client[0] = clientAID.getBytes(client, (short) 1);
        return this;
    }

    /**
     * Registers the client recorded by {@link #getShareableInterfaceObject} (see {@link SelectorRegistry}).
     * The caller is authenticated by the runtime, in layers: a recorded client AID (consumed here),
     * an installed applet with that AID that is not this selector, no PPSE session in progress (so no
     * card application can register while answering the selector), {@code getPreviousContextAID()} where
     * the platform provides it, and on jcardsim, where {@code JCSystem.getAID()} is the selected applet
     * rather than this one, that applet.
     */
    @Override
    public short register(byte[] buffer, short offset) {
        byte length = authenticatedClient();
        if (buffer == null || offset < 0 || offset >= (short) buffer.length) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        short room = (short) ((short) buffer.length - offset);
        short labelLength = (short) (buffer[offset] & 0xFF);
        if (labelLength < 1 || labelLength > Link.LABEL_MAX || labelLength >= (short) (room - 1)
                || room < Link.CREDENTIAL_LENGTH) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        // EMV tag 50 is ans: printable ASCII (20..7E) only, so no registrant puts control bytes or another
        // character set into the PPSE directory and the holder's listing.
        for (short i = 1; i <= labelLength; i++) {
            byte c = buffer[(short) (offset + i)];
            if (c < (byte) 0x20 || c > (byte) 0x7E) {
                ISOException.throwIt(Wire.SW_WRONG_DATA);
            }
        }
        byte priority = buffer[(short) (offset + 1 + labelLength)];
        if (priority < Link.PRIORITY_MIN || priority > Link.PRIORITY_MAX) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }

        registry.purgeDeleted();
        short slot = registry.find(client, (short) 1, length);
        if (slot == Registry.NO_SLOT) {
            slot = registry.freeSlot();
        }
        if (slot == Registry.NO_SLOT) {
            ISOException.throwIt(Wire.SW_NOT_ENOUGH_MEMORY);
        }
        Util.arrayCopyNonAtomic(buffer, (short) (offset + 1), request, (short) 0, labelLength);
        random.nextBytes(buffer, offset, Link.CREDENTIAL_LENGTH);
        registry.put(slot, client, (short) 1, length, request, (short) 0, (byte) labelLength, priority, buffer, offset);
        Util.arrayFillNonAtomic(request, (short) 0, (short) request.length, (byte) 0);
        Util.arrayFillNonAtomic(client, (short) 0, (short) client.length, (byte) 0);
        return Link.CREDENTIAL_LENGTH;
    }

    /**
     * See {@link SelectorRegistry#isRegistered}: the caller is authenticated as for {@link #register}; the answer
     * is about itself only.
     */
    @Override
    public boolean isRegistered() {
        byte length = authenticatedClient();
        boolean found = registry.find(client, (short) 1, length) != Registry.NO_SLOT;
        Util.arrayFillNonAtomic(client, (short) 0, (short) client.length, (byte) 0);
        return found;
    }

    /**
     * The length of the client AID recorded by {@link #getShareableInterfaceObject} (consumed here), once the runtime
     * vouches for it: an installed applet with that AID that is not this selector, no PPSE session in progress (so
     * no card application can register while answering the selector), {@code getPreviousContextAID()} where the
     * platform provides it, and on jcardsim, where {@code JCSystem.getAID()} is the selected applet rather than this
     * one, that applet. Anything else: 6985.
     */
    private byte authenticatedClient() {
        byte length = client[0];
        client[0] = 0;
        if (length == 0 || selected[0]) {
            refuseRegistration();
        }
        if (JCSystem.lookupAID(client, (short) 1, length) == null || isOwnAid(client, (short) 1, length)) {
            refuseRegistration();
        }
        AID previous = JCSystem.getPreviousContextAID();
        if (previous != null && !previous.equals(client, (short) 1, length)) {
            refuseRegistration();
        }
        AID context = JCSystem.getAID();
        if (context != null && !context.equals(ownAid, (short) 1, ownAid[0]) && !context.equals(client, (short) 1, length)) {
            refuseRegistration();
        }
        return length;
    }

    private void refuseRegistration() {
        Util.arrayFillNonAtomic(client, (short) 0, (short) client.length, (byte) 0);
        ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
    }

    private boolean isOwnAid(byte[] aid, short offset, byte length) {
        return length == ownAid[0] && Util.arrayCompare(aid, offset, ownAid, (short) 1, length) == 0;
    }
}
