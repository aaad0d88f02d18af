package nfcpay.card.selector;

import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.OwnerPIN;
import javacard.framework.Util;
import javacard.security.RandomData;
import nfcpay.card.CommandData;
import nfcpay.card.Wire;
import nfcpay.card.link.AccountInfoSource;
import nfcpay.card.link.Link;

/**
 * The holder's commands on the selector (docs/protocol.md 5): list the card applications, set their
 * order and the selection policy, activate and deactivate one, and the holder PIN that guards every
 * change. Shaped after GlobalPlatform Amendment C's CRS where it has an equivalent (GET STATUS, SET
 * STATUS, GET DATA A5). The selector's {@code process()} delegates each instruction here.
 *
 * <p>Checks, in this order, for every command: class/instruction pair ({@code 6D00}), interface (the
 * contactless interface gets {@code 6982}), P1/P2 ({@code 6A86}), Lc ({@code 6700}), holder PIN for the
 * commands that change something ({@code 6982}, transport PIN {@code 6984}), then the data.
 */
final class HolderCommands {

    /** A GET STATUS page holds whole entries only and fits a short response. */
    private static final short PAGE_MAX = 256;
    /**
     * The largest listing entry: {@code 61 3D { 4F 10 <AID> 50 10 <label> 87 01 <p> 9F70 02 <lc> <cl>
     * C3 01 01 C1 01 <status> 9F42 02 <currency> C2 04 <balance> }}.
     */
    private static final short LISTING_ENTRY_MAX = (short) (2 + 2 + Registry.AID_MAX + 2 + Link.LABEL_MAX + 3 + 5 + 3 + 3 + 5 + 6);
    private static final short SETTINGS_BODY_LENGTH = 9;
    private static final short PIN_DATA_CHANGE = (short) (2 * Wire.PIN_BLOCK_LENGTH);

    // ---- scratch[] (CLEAR_ON_DESELECT: holder commands run while the PPSE is selected) ----
    private static final short S_ORDER = 0;
    private static final short S_REST = (short) (S_ORDER + Registry.CAPACITY);
    private static final short S_CHALLENGE = (short) (S_REST + Registry.CAPACITY);
    private static final short S_ACCOUNT = (short) (S_CHALLENGE + Link.CHALLENGE_LENGTH);
    private static final short SCRATCH_LENGTH = (short) (S_ACCOUNT + AccountRecords.ACCOUNT_LENGTH);

    // ---- listing[] (CLEAR_ON_DESELECT): the GET STATUS in progress; COUNT 0 = none ----
    private static final short L_CURSOR = 0;
    private static final short L_COUNT = 1;

    private final Registry registry;
    private final AccountRecords records;
    private final RandomData random;
    /** The selector's FCI buffer, free while a holder command runs (any command drops a pending FCI). */
    private final byte[] page;

    private final OwnerPIN pin = new OwnerPIN(Wire.PIN_TRY_LIMIT, (byte) Wire.PIN_MAX_DIGITS);
    /** The PIN is still the transport PIN: only CHANGE REFERENCE DATA is allowed until the holder picks one. */
    private boolean transportPin;
    /** The selection policy the next GET PROCESSING OPTIONS applies (a byte write is atomic). */
    private byte policy;

    private final byte[] scratch = JCSystem.makeTransientByteArray(SCRATCH_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    private final short[] listing = JCSystem.makeTransientShortArray((short) 2, JCSystem.CLEAR_ON_DESELECT);

    /**
     * {@code pinLength} 0: the holder PIN is the transport PIN ({@link Wire#writeTransportPin}), to be changed before use; otherwise
     * {@code pinDigits[pinOffset ..]} holds 4..8 ASCII digits, already checked by the installer.
     */
    HolderCommands(Registry registry, AccountRecords records, RandomData random, byte[] page, byte policy,
            byte[] pinDigits, short pinOffset, byte pinLength) {
        this.registry = registry;
        this.records = records;
        this.random = random;
        this.page = page;
        this.policy = policy;
        if (pinLength == 0) {
            // Once, at install: the transient scratch is out of reach before the PPSE is first selected.
            byte[] transport = new byte[Wire.TRANSPORT_PIN_LENGTH];
            Wire.writeTransportPin(transport, (short) 0);
            pin.update(transport, (short) 0, Wire.TRANSPORT_PIN_LENGTH);
            transportPin = true;
        } else {
            pin.update(pinDigits, pinOffset, pinLength);
        }
    }

    byte policy() {
        return policy;
    }

    /** Selection or deselection of the PPSE: the holder's verification and any listing end with it. */
    void endSession() {
        pin.reset();
        endListing();
    }

    /** Amd C: a GET STATUS "next" must follow its predecessor directly; any other command ends the listing. */
    void endListing() {
        listing[L_COUNT] = 0;
        listing[L_CURSOR] = 0;
    }

    /**
     * True for a PIN block {@code block[offset .. offset + 8)}: 4..8 ASCII digits then FF up to 8 bytes.
     * Used by the installer too, on the bare digits ({@code length} < 8 means no padding).
     */
    static short pinDigits(byte[] block, short offset, short length) {
        short digits = 0;
        while (digits < length && block[(short) (offset + digits)] >= (byte) '0'
                && block[(short) (offset + digits)] <= (byte) '9') {
            digits++;
        }
        if (digits < Wire.PIN_MIN_DIGITS || digits > Wire.PIN_MAX_DIGITS) {
            return 0;
        }
        for (short i = digits; i < length; i++) {
            if (block[(short) (offset + i)] != Wire.PIN_PAD) {
                return 0;
            }
        }
        return digits;
    }

    // ------------------------------------------------------------------ VERIFY

    /**
     * {@code 00 20 00 80 [08 <PIN block>]}: with a PIN block, checks it (a wrong one answers 63Cx with the
     * tries left, 63C0 for the last); without data, answers the state: 9000 verified in this session,
     * 63Cx not verified, 6983 blocked.
     */
    void processVerify(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        requireClass(buffer, Wire.CLA_ISO);
        requireContact();
        if (buffer[ISO7816.OFFSET_P1] != 0 || buffer[ISO7816.OFFSET_P2] != Wire.P2_HOLDER_PIN) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        short lc = CommandData.receive(apdu);
        if (lc == 0) {
            if (pin.isValidated()) {
                return;
            }
            if (pin.getTriesRemaining() == 0) {
                ISOException.throwIt(Wire.SW_PIN_BLOCKED);
            }
            ISOException.throwIt((short) (Wire.SW_PIN_TRIES_LEFT | pin.getTriesRemaining()));
        }
        if (lc != Wire.PIN_BLOCK_LENGTH) {
            refuse(buffer, lc, Wire.SW_WRONG_LENGTH);
        }
        if (pin.getTriesRemaining() == 0) {
            refuse(buffer, lc, Wire.SW_PIN_BLOCKED);
        }
        short digits = pinDigits(buffer, ISO7816.OFFSET_CDATA, Wire.PIN_BLOCK_LENGTH);
        if (digits == 0) {
            refuse(buffer, lc, Wire.SW_WRONG_DATA);
        }
        if (!pin.check(buffer, ISO7816.OFFSET_CDATA, (byte) digits)) {
            refuse(buffer, lc, (short) (Wire.SW_PIN_TRIES_LEFT | pin.getTriesRemaining()));
        }
        clear(buffer, lc);
    }

    // ------------------------------------------------------------------ CHANGE REFERENCE DATA

    /**
     * {@code 00 24 00 80 10 <old PIN block> <new PIN block>}: the old PIN is checked like VERIFY (and counts
     * a try); on success the new one replaces it, the transport state ends, and the session stays verified.
     */
    void processChangeReferenceData(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        requireClass(buffer, Wire.CLA_ISO);
        requireContact();
        if (buffer[ISO7816.OFFSET_P1] != 0 || buffer[ISO7816.OFFSET_P2] != Wire.P2_HOLDER_PIN) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        short lc = CommandData.receive(apdu);
        if (lc != PIN_DATA_CHANGE) {
            refuse(buffer, lc, Wire.SW_WRONG_LENGTH);
        }
        if (pin.getTriesRemaining() == 0) {
            refuse(buffer, lc, Wire.SW_PIN_BLOCKED);
        }
        short oldDigits = pinDigits(buffer, ISO7816.OFFSET_CDATA, Wire.PIN_BLOCK_LENGTH);
        short newOffset = (short) (ISO7816.OFFSET_CDATA + Wire.PIN_BLOCK_LENGTH);
        short newDigits = pinDigits(buffer, newOffset, Wire.PIN_BLOCK_LENGTH);
        if (oldDigits == 0 || newDigits == 0) {
            refuse(buffer, lc, Wire.SW_WRONG_DATA);
        }
        if (!pin.check(buffer, ISO7816.OFFSET_CDATA, (byte) oldDigits)) {
            refuse(buffer, lc, (short) (Wire.SW_PIN_TRIES_LEFT | pin.getTriesRemaining()));
        }
        boolean own = Transactions.begin();
        pin.update(buffer, newOffset, (byte) newDigits);
        transportPin = false;
        Transactions.commit(own);
        // update() clears the validated flag; the holder has just proved the old PIN and chosen the new one.
        pin.check(buffer, newOffset, (byte) newDigits);
        clear(buffer, lc);
    }

    // ------------------------------------------------------------------ GET STATUS

    /**
     * {@code 80 F2 40 00 Lc 4F L <AID prefix> [5C L <tags>]} (L = 0: every application; a tag list is
     * accepted and ignored): one {@code 61} entry per
     * matching application in priority order, deactivated ones included, whole entries up to 256 bytes;
     * {@code 6310} when more follow, fetched with {@code 80 F2 40 01} (its data is not interpreted).
     */
    void processGetStatus(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        requireClass(buffer, Wire.CLA_PROPRIETARY);
        requireContact();
        byte p2 = buffer[ISO7816.OFFSET_P2];
        if (buffer[ISO7816.OFFSET_P1] != Wire.P1_GET_STATUS_APPLICATIONS
                || (p2 != Wire.P2_GET_STATUS_FIRST && p2 != Wire.P2_GET_STATUS_NEXT)) {
            endListing();
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        if (p2 == Wire.P2_GET_STATUS_NEXT) {
            if (listing[L_COUNT] == 0) {
                ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
            }
            try {
                CommandData.receive(apdu); // the data (Amd C repeats the query) is not read
            } catch (ISOException e) {
                endListing();
                throw e;
            }
            sendPage(apdu);
            return;
        }
        endListing();
        short lc = CommandData.receive(apdu);
        if (lc < 2) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
        if (buffer[ISO7816.OFFSET_CDATA] != Wire.TAG_AID) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        short prefix = (short) (buffer[(short) (ISO7816.OFFSET_CDATA + 1)] & 0xFF);
        if ((short) (lc - 2) < prefix) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
        if (prefix > Registry.AID_MAX) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        // Amd C allows a 5C tag list after the qualifier; it is accepted and ignored (entries carry every tag).
        short rest = (short) (lc - 2 - prefix);
        short at = (short) (ISO7816.OFFSET_CDATA + 2 + prefix);
        if (rest != 0 && (rest < 2 || buffer[at] != Wire.TAG_TAG_LIST
                || (short) (buffer[(short) (at + 1)] & 0xFF) != (short) (rest - 2))) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        registry.purgeDeleted();
        short all = registry.orderAll(scratch, S_ORDER);
        short count = 0;
        for (short k = 0; k < all; k++) {
            short slot = scratch[(short) (S_ORDER + k)];
            if (registry.aidStartsWith(slot, buffer, (short) (ISO7816.OFFSET_CDATA + 2), prefix)) {
                scratch[(short) (S_ORDER + count)] = (byte) slot;
                count++;
            }
        }
        if (count == 0) {
            ISOException.throwIt(Wire.SW_REFERENCED_DATA_NOT_FOUND);
        }
        listing[L_COUNT] = count;
        listing[L_CURSOR] = 0;
        sendPage(apdu);
    }

    /** Sends the next whole entries that fit 256 bytes; 6310 while more remain, the listing ends otherwise. */
    private void sendPage(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        short k = listing[L_CURSOR];
        short count = listing[L_COUNT];
        short used = 0;
        while (k < count && (short) (used + LISTING_ENTRY_MAX) <= PAGE_MAX) {
            used = writeListingEntry(scratch[(short) (S_ORDER + k)], buffer, used);
            k++;
        }
        listing[L_CURSOR] = k;
        if (k == count) {
            endListing();
        }
        // Straight from the page: the APDU buffer may be shorter than a 256-byte response (the reference VM's is).
        apdu.setOutgoing();
        apdu.setOutgoingLength(used);
        apdu.sendBytesLong(page, (short) 0, used);
        Util.arrayFillNonAtomic(page, (short) 0, used, (byte) 0); // balances do not linger in RAM
        if (k < count) {
            ISOException.throwIt(Wire.SW_MORE_DATA);
        }
    }

    /**
     * Writes {@code 61 L { 4F 50 87 | 9F70 02 07 <01 active, 00 deactivated> | [C3 01 01 new] | C1 01 <status>
     * [9F42 02 <currency>] [C2 04 <balance>] }} into {@link #page} at {@code at}; the account status,
     * currency and balance come from a fresh authenticated record, the balance only while the PIN is
     * verified. {@code buffer} (the APDU buffer) carries the record exchange.
     */
    private short writeListingEntry(short slot, byte[] buffer, short at) {
        page[at++] = Wire.TAG_DIRECTORY_ENTRY;
        short lengthAt = at++;
        at = registry.writeEntry(slot, page, at);
        at = Util.setShort(page, at, Wire.TAG_LIFE_CYCLE_STATE);
        page[at++] = (byte) 2;
        page[at++] = Wire.LIFE_CYCLE_SELECTABLE;
        page[at++] = registry.isActive(slot) ? Wire.CL_ACTIVATED : Wire.CL_DEACTIVATED;
        if (registry.isNew(slot)) {
            page[at++] = Wire.TAG_HOLDER_NEW;
            page[at++] = (byte) 1;
            page[at++] = Wire.HOLDER_NEW;
        }
        boolean known = readAccount(slot, buffer);
        page[at++] = Wire.TAG_ACCOUNT_STATUS;
        page[at++] = (byte) 1;
        page[at++] = known ? scratch[S_ACCOUNT] : Wire.ACCOUNT_UNKNOWN;
        if (known) {
            at = Util.setShort(page, at, Wire.TAG_APPLICATION_CURRENCY);
            page[at++] = (byte) 2;
            at = Util.arrayCopyNonAtomic(scratch, (short) (S_ACCOUNT + 1), page, at, (short) 2);
            if (pin.isValidated()) {
                page[at++] = Wire.TAG_BALANCE;
                page[at++] = (byte) Amounts.BINARY_LENGTH;
                at = Util.arrayCopyNonAtomic(scratch, (short) (S_ACCOUNT + 3), page, at, Amounts.BINARY_LENGTH);
            }
        }
        Util.arrayFillNonAtomic(scratch, S_ACCOUNT, AccountRecords.ACCOUNT_LENGTH, (byte) 0);
        page[lengthAt] = (byte) (at - lengthAt - 1);
        return at;
    }

    /** Asks the application for its record under a fresh challenge; true leaves status|currency|balance in scratch. */
    private boolean readAccount(short slot, byte[] buffer) {
        AID aid = registry.lookup(slot);
        AccountInfoSource source = aid == null ? null : AccountRecords.source(aid);
        if (source == null) {
            return false;
        }
        random.nextBytes(scratch, S_CHALLENGE, Link.CHALLENGE_LENGTH);
        Util.arrayCopyNonAtomic(scratch, S_CHALLENGE, buffer, (short) 0, Link.CHALLENGE_LENGTH);
        boolean known = AccountRecords.read(source, buffer, (short) 0) == Link.RECORD_LENGTH
                && records.open(buffer, (short) 0, registry.encKey(slot), registry.macKey(slot),
                        scratch, S_CHALLENGE, scratch, S_ACCOUNT);
        Util.arrayFillNonAtomic(buffer, (short) 0, Link.RECORD_LENGTH, (byte) 0);
        Util.arrayFillNonAtomic(scratch, S_CHALLENGE, Link.CHALLENGE_LENGTH, (byte) 0);
        return known;
    }

    // ------------------------------------------------------------------ SET STATUS

    /**
     * {@code 80 F0 01 <01 activate | 00 deactivate> Lc 4F L <AID>}: the application enters or leaves the
     * PPSE directory and smart selection at once; its credential, priority and place are kept. Deactivating
     * the last active application → 6985. This is the only way in: a registration starts new and inactive, so an
     * applet on the SIM reaches the PPSE only with the holder's PIN, over the contact interface.
     */
    void processSetStatus(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        requireClass(buffer, Wire.CLA_PROPRIETARY);
        requireContact();
        byte p2 = buffer[ISO7816.OFFSET_P2];
        if (buffer[ISO7816.OFFSET_P1] != Wire.P1_SET_STATUS_AVAILABILITY
                || (p2 != Wire.P2_ACTIVATE && p2 != Wire.P2_DEACTIVATE)) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        short lc = CommandData.receive(apdu);
        if (lc < 2) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
        requireHolder();
        if (buffer[ISO7816.OFFSET_CDATA] != Wire.TAG_AID) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        short length = (short) (buffer[(short) (ISO7816.OFFSET_CDATA + 1)] & 0xFF);
        if (lc != (short) (2 + length)) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
        registry.purgeDeleted();
        short slot = registered(buffer, (short) (ISO7816.OFFSET_CDATA + 2), length);
        boolean activate = p2 == Wire.P2_ACTIVATE;
        if (!activate && registry.isActive(slot) && registry.activeCount() == 1) {
            ISOException.throwIt(Wire.SW_CONDITIONS_NOT_SATISFIED);
        }
        // The application learns it too, in the same transaction, and refuses contactless purchases itself
        // while deactivated (a terminal may select it directly). One it cannot reach (deleted, or hostile and
        // throwing) costs it nothing: the PPSE change stands.
        AID aid = registry.lookup(slot);
        AccountInfoSource source = aid == null ? null : AccountRecords.source(aid);
        JCSystem.beginTransaction();
        registry.setActive(slot, activate);
        if (source != null) {
            try {
                source.holderActivation(activate);
            } catch (Exception e) {
                // the directory's own state is what the selector answers for
            }
        }
        if (JCSystem.getTransactionDepth() == 0) {
            registry.setActive(slot, activate); // the application ended the transaction: the directory goes alone
        } else {
            JCSystem.commitTransaction();
        }
    }

    // ------------------------------------------------------------------ SET PRIORITY ORDER

    /**
     * {@code 80 F4 00 00 Lc (4F L <AID>)...}: the listed applications, each once, take the first places in
     * that order; the unlisted follow in their current order. Everyone is renumbered 1, 2, ... and from
     * now on a new application joins at the end.
     */
    void processSetOrder(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        requireClass(buffer, Wire.CLA_PROPRIETARY);
        requireContact();
        if (Util.getShort(buffer, ISO7816.OFFSET_P1) != 0) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        short lc = CommandData.receive(apdu);
        if (lc < 2) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
        requireHolder();
        registry.purgeDeleted();
        short listed = 0;
        short at = ISO7816.OFFSET_CDATA;
        short end = (short) (ISO7816.OFFSET_CDATA + lc);
        while (at < end) {
            if ((short) (end - at) < 2 || buffer[at] != Wire.TAG_AID) {
                ISOException.throwIt(Wire.SW_WRONG_DATA);
            }
            short length = (short) (buffer[(short) (at + 1)] & 0xFF);
            if ((short) (end - at - 2) < length) {
                ISOException.throwIt(Wire.SW_WRONG_DATA);
            }
            short slot = registered(buffer, (short) (at + 2), length);
            if (isListed(slot, listed)) {
                ISOException.throwIt(Wire.SW_WRONG_DATA);
            }
            scratch[(short) (S_ORDER + listed)] = (byte) slot;
            listed++;
            at = (short) (at + 2 + length);
        }
        short listedByHolder = listed;
        short all = registry.orderAll(scratch, S_REST);
        for (short k = 0; k < all; k++) {
            short slot = scratch[(short) (S_REST + k)];
            if (!isListed(slot, listedByHolder)) {
                scratch[(short) (S_ORDER + listed)] = (byte) slot;
                listed++;
            }
        }
        registry.applyOrder(scratch, S_ORDER, listed);
    }

    private boolean isListed(short slot, short listed) {
        for (short j = 0; j < listed; j++) {
            if (scratch[(short) (S_ORDER + j)] == slot) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ SET SELECTION POLICY

    /** {@code 80 F6 <policy 00..03> 00}: the policy of every GET PROCESSING OPTIONS from now on. */
    void processSetPolicy(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        requireClass(buffer, Wire.CLA_PROPRIETARY);
        requireContact();
        byte requested = buffer[ISO7816.OFFSET_P1];
        if (requested < Wire.POLICY_PRIORITY || requested > Wire.POLICY_ANY || buffer[ISO7816.OFFSET_P2] != 0) {
            ISOException.throwIt(Wire.SW_WRONG_P1P2);
        }
        if (CommandData.receive(apdu) != 0) {
            ISOException.throwIt(Wire.SW_WRONG_LENGTH);
        }
        requireHolder();
        policy = requested;
    }

    // ------------------------------------------------------------------ GET DATA

    /** {@code 80 CA 00 A5}: {@code A5 09 { C4 01 <policy> C5 01 <PIN tries left> C6 01 <PIN flags> }}. */
    void processGetData(APDU apdu) {
        byte[] buffer = apdu.getBuffer();
        requireClass(buffer, Wire.CLA_PROPRIETARY);
        requireContact();
        if (Util.getShort(buffer, ISO7816.OFFSET_P1) != Wire.P1P2_WALLET_SETTINGS) {
            ISOException.throwIt(Wire.SW_REFERENCED_DATA_NOT_FOUND);
        }
        // Case 2: the byte after P2 is Le, and Java Card allows no inbound call (docs/protocol.md 1).
        short at = 0;
        buffer[at++] = Wire.TAG_FCI_PROPRIETARY;
        buffer[at++] = (byte) SETTINGS_BODY_LENGTH;
        buffer[at++] = Wire.TAG_POLICY;
        buffer[at++] = (byte) 1;
        buffer[at++] = policy;
        buffer[at++] = Wire.TAG_PIN_TRIES;
        buffer[at++] = (byte) 1;
        buffer[at++] = pin.getTriesRemaining();
        buffer[at++] = Wire.TAG_PIN_FLAGS;
        buffer[at++] = (byte) 1;
        buffer[at++] = (byte) ((pin.isValidated() ? Wire.PIN_FLAG_VERIFIED : 0) | (transportPin ? Wire.PIN_FLAG_TRANSPORT : 0));
        apdu.setOutgoingAndSend((short) 0, at);
    }

    // ------------------------------------------------------------------ common checks

    /** The holder's instructions exist under one class byte each; the other one is an unknown command. */
    private static void requireClass(byte[] buffer, byte cla) {
        if (buffer[ISO7816.OFFSET_CLA] != cla) {
            ISOException.throwIt(Wire.SW_INS_NOT_SUPPORTED);
        }
    }

    /**
     * Holder commands come over the contact interface only (on a phone: the wallet through the secure
     * element API), never from a reader in the field: contactless type A or B, and the HCI APDU gate
     * through which a SIM's contactless traffic arrives from the phone's NFC controller.
     */
    private static void requireContact() {
        byte media = (byte) (APDU.getProtocol() & APDU.PROTOCOL_MEDIA_MASK);
        if (media == APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_A || media == APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_B
                || media == APDU.PROTOCOL_MEDIA_HCI_APDU_GATE) {
            ISOException.throwIt(Wire.SW_SECURITY_STATUS_NOT_SATISFIED);
        }
    }

    /** Commands that change something: the PIN verified in this session, and no longer the transport PIN. */
    private void requireHolder() {
        if (!pin.isValidated()) {
            ISOException.throwIt(Wire.SW_SECURITY_STATUS_NOT_SATISFIED);
        }
        if (transportPin) {
            ISOException.throwIt(Wire.SW_REFERENCE_DATA_NOT_USABLE);
        }
    }

    /** The registered slot for {@code aid[offset .. offset + length)}: a malformed AID 6A80, an unknown one 6A88. */
    private short registered(byte[] aid, short offset, short length) {
        if (length < 5 || length > Registry.AID_MAX) {
            ISOException.throwIt(Wire.SW_WRONG_DATA);
        }
        short slot = registry.find(aid, offset, (byte) length);
        if (slot == Registry.NO_SLOT) {
            ISOException.throwIt(Wire.SW_REFERENCED_DATA_NOT_FOUND);
        }
        return slot;
    }

    /** Clears a PIN-carrying command's data from the APDU buffer, then answers {@code sw}. */
    private static void refuse(byte[] buffer, short lc, short sw) {
        clear(buffer, lc);
        ISOException.throwIt(sw);
    }

    private static void clear(byte[] buffer, short lc) {
        Util.arrayFillNonAtomic(buffer, ISO7816.OFFSET_CDATA, lc, (byte) 0);
    }
}
