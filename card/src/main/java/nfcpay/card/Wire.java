package nfcpay.card;

import javacard.framework.Util;

/**
 * Every byte the card applets put on or read from the wire, in one place (PROTOCOL.md; the project's
 * choices are in docs/protocol.md). The terminal keeps its own copy and a test holds the two equal.
 */
public final class Wire {

    private Wire() {}

    // ---- Class bytes (ISO/IEC 7816-4 5.4.1; proprietary 80 per JR/T 0025) ----
    public static final byte CLA_ISO = (byte) 0x00;
    public static final byte CLA_PROPRIETARY = (byte) 0x80;
    /**
     * Proprietary class with secure messaging (ISO 7816-4 b3 = 1): JR/T 0025's issuer-script commands and the
     * purse's authenticated STORE DATA (GlobalPlatform's C-MAC'd 84).
     */
    public static final byte CLA_SECURE_MESSAGING = (byte) 0x84;

    // ---- Instructions ----
    /** ISO 7816-4 SELECT. */
    public static final byte INS_SELECT = (byte) 0xA4;
    /** ISO 7816-4 READ RECORD. */
    public static final byte INS_READ_RECORD = (byte) 0xB2;
    /** ISO 7816-4 GET RESPONSE. */
    public static final byte INS_GET_RESPONSE = (byte) 0xC0;
    /** EMV Book 3 GET PROCESSING OPTIONS (smart selection on the PPSE, PROTOCOL.md 2.2). */
    public static final byte INS_GET_PROCESSING_OPTIONS = (byte) 0xA8;
    /** JR/T 0025 INITIALIZE FOR PURCHASE / INITIALIZE FOR LOAD (P1 tells which). */
    public static final byte INS_INITIALIZE = (byte) 0x50;
    /** JR/T 0025 CREDIT FOR LOAD. */
    public static final byte INS_CREDIT_FOR_LOAD = (byte) 0x52;
    /** JR/T 0025 DEBIT FOR PURCHASE. */
    public static final byte INS_DEBIT_FOR_PURCHASE = (byte) 0x54;
    /** JR/T 0025 GET TRANSACTION PROVE. */
    public static final byte INS_GET_TRANSACTION_PROVE = (byte) 0x5A;
    /** JR/T 0025 GET BALANCE. */
    public static final byte INS_GET_BALANCE = (byte) 0x5C;
    /** GlobalPlatform STORE DATA (personalization). */
    public static final byte INS_STORE_DATA = (byte) 0xE2;
    /** ISO 7816-4 GET CHALLENGE: the card random an issuer script's MAC starts from (JR/T 0025). */
    public static final byte INS_GET_CHALLENGE = (byte) 0x84;
    /** JR/T 0025 / PBOC issuer script APPLICATION BLOCK, CLA 84 (P2 00 temporary, 01 permanent). */
    public static final byte INS_APPLICATION_BLOCK = (byte) 0x1E;
    /** JR/T 0025 / PBOC issuer script APPLICATION UNBLOCK, CLA 84. */
    public static final byte INS_APPLICATION_UNBLOCK = (byte) 0x18;
    /** nfcpay INITIALIZE PERSONALIZATION: the card challenge that opens a personalization session (docs/protocol.md 3.3). */
    public static final byte INS_INITIALIZE_PERSONALIZATION = (byte) 0xE0;

    // ---- Holder commands on the selector (docs/protocol.md 5), contact interface only ----
    /** ISO 7816-4 VERIFY (holder PIN). */
    public static final byte INS_VERIFY = (byte) 0x20;
    /** ISO 7816-4 CHANGE REFERENCE DATA (holder PIN). */
    public static final byte INS_CHANGE_REFERENCE_DATA = (byte) 0x24;
    /** GlobalPlatform Amd C (CRS) SET STATUS: activate or deactivate one card application. */
    public static final byte INS_SET_STATUS = (byte) 0xF0;
    /** GlobalPlatform Amd C (CRS) GET STATUS: list the card applications. */
    public static final byte INS_GET_STATUS = (byte) 0xF2;
    /** Proprietary SET PRIORITY ORDER (Amd C moves one application at a time; the holder sets a list). */
    public static final byte INS_SET_ORDER = (byte) 0xF4;
    /** Proprietary SET SELECTION POLICY. */
    public static final byte INS_SET_POLICY = (byte) 0xF6;
    /** GET DATA, shaped like Amd C's CRS GET DATA 80 CA 00 A5: the wallet's own settings. */
    public static final byte INS_GET_DATA = (byte) 0xCA;

    // ---- Parameters ----
    /** ISO 7816-4 SELECT P1: select by DF name (AID). */
    public static final byte P1_SELECT_BY_NAME = (byte) 0x04;
    /** ISO 7816-4 SELECT P2: first or only occurrence, return FCI (EMV Book 1 11.3.2). */
    public static final byte P2_SELECT_FIRST_FCI = (byte) 0x00;
    public static final byte P1_INITIALIZE_LOAD = (byte) 0x00;
    public static final byte P1_INITIALIZE_PURCHASE = (byte) 0x01;
    public static final byte P1_DEBIT = (byte) 0x01;
    public static final byte P2_ELECTRONIC_PURSE = (byte) 0x02;
    /** READ RECORD P2: SFI 18 (0x18 << 3) with b3..b1 = 100 (record number in P1). */
    public static final byte P2_READ_RECORD_LOG = (byte) 0xC4;
    /** APPLICATION BLOCK P2 (JR/T 0025): a temporary block, which APPLICATION UNBLOCK lifts; a permanent one it does not. */
    public static final byte P2_BLOCK_TEMPORARY = (byte) 0x00;
    public static final byte P2_BLOCK_PERMANENT = (byte) 0x01;
    /** STORE DATA P1 b8: last block, ends personalization. */
    public static final byte P1_STORE_DATA_LAST = (byte) 0x80;
    /**
     * STORE DATA P1 b7..b6 = 01 (application-dependent encryption: the secret DGIs) and b5..b4 = 01 (DGI format),
     * GlobalPlatform 2.2 11.11.2.1; with {@link #P1_STORE_DATA_LAST} on the last block.
     */
    public static final byte P1_STORE_DATA_DGIS = (byte) 0x28;
    /** VERIFY / CHANGE REFERENCE DATA P2: specific (application) reference data, PIN number 0 (ISO 7816-4 7.5.1). */
    public static final byte P2_HOLDER_PIN = (byte) 0x80;
    /** GET STATUS P1 (Amd C): card applications. */
    public static final byte P1_GET_STATUS_APPLICATIONS = (byte) 0x40;
    /** GET STATUS P2 (Amd C): first page of a new listing, or the next page of the one in progress. */
    public static final byte P2_GET_STATUS_FIRST = (byte) 0x00;
    public static final byte P2_GET_STATUS_NEXT = (byte) 0x01;
    /** SET STATUS P1 (Amd C): availability state over the contactless interface. */
    public static final byte P1_SET_STATUS_AVAILABILITY = (byte) 0x01;
    /** SET STATUS P2 (Amd C): the new contactless activation state. */
    public static final byte P2_DEACTIVATE = (byte) 0x00;
    public static final byte P2_ACTIVATE = (byte) 0x01;
    /** GET DATA P1 P2: the wallet settings template A5 (the tag Amd C's CRS uses for its GET DATA). */
    public static final short P1P2_WALLET_SETTINGS = (short) 0x00A5;

    // ---- Transaction types (JR/T 0025) ----
    public static final byte TRANSACTION_LOAD = (byte) 0x02;
    public static final byte TRANSACTION_PURCHASE = (byte) 0x06;
    public static final byte KEY_INDEX = (byte) 0x01;
    public static final byte ALGORITHM_DES = (byte) 0x00;
    public static final byte APPLICATION_TYPE_EP = (byte) 0x02;

    // ---- BER-TLV tags (EMV Book 1/3, Book B) ----
    public static final byte TAG_FCI_TEMPLATE = (byte) 0x6F;
    public static final byte TAG_DF_NAME = (byte) 0x84;
    public static final byte TAG_FCI_PROPRIETARY = (byte) 0xA5;
    public static final short TAG_FCI_ISSUER_DISCRETIONARY = (short) 0xBF0C;
    public static final byte TAG_DIRECTORY_ENTRY = (byte) 0x61;
    public static final byte TAG_AID = (byte) 0x4F;
    public static final byte TAG_LABEL = (byte) 0x50;
    public static final byte TAG_PRIORITY = (byte) 0x87;
    public static final short TAG_PDOL = (short) 0x9F38;
    public static final short TAG_ISSUER_DATA = (short) 0x9F0C;
    public static final byte TAG_COMMAND_TEMPLATE = (byte) 0x83;
    public static final byte TAG_RESPONSE_TEMPLATE_2 = (byte) 0x77;
    public static final short TAG_AMOUNT = (short) 0x9F02;
    public static final short TAG_CURRENCY = (short) 0x5F2A;
    public static final byte TAG_TRANSACTION_TYPE = (byte) 0x9C;
    public static final short TAG_UNPREDICTABLE_NUMBER = (short) 0x9F37;

    // ---- Holder listing and settings tags (docs/protocol.md 5) ----
    /** Amd C GET STATUS: the tag list of the data objects asked for (accepted, not interpreted). */
    public static final byte TAG_TAG_LIST = (byte) 0x5C;
    /** Amd C: application life cycle state (1) | contactless activation state (1). */
    public static final short TAG_LIFE_CYCLE_STATE = (short) 0x9F70;
    /** EMV Application Currency Code (n3), from the authenticated account record. */
    public static final short TAG_APPLICATION_CURRENCY = (short) 0x9F42;
    /** Private class: account status from the authenticated account record ({@code ACCOUNT_*}). */
    public static final byte TAG_ACCOUNT_STATUS = (byte) 0xC1;
    /** Private class: available balance (4, binary fen), only while the holder PIN is verified. */
    public static final byte TAG_BALANCE = (byte) 0xC2;
    /**
     * Private class: {@code C3 01 01} on an application registered and not yet activated (nor deactivated) by the
     * holder, "new"; absent otherwise. 9F70 says deactivated for it, as Amd C has no such state.
     */
    public static final byte TAG_HOLDER_NEW = (byte) 0xC3;
    public static final byte HOLDER_NEW = (byte) 0x01;
    /** Private class, in the GET DATA template A5: selection policy, PIN tries left, PIN flags. */
    public static final byte TAG_POLICY = (byte) 0xC4;
    public static final byte TAG_PIN_TRIES = (byte) 0xC5;
    public static final byte TAG_PIN_FLAGS = (byte) 0xC6;
    /** GP life cycle SELECTABLE: what an installed, registered application is at least. */
    public static final byte LIFE_CYCLE_SELECTABLE = (byte) 0x07;
    /** Amd C contactless activation states. */
    public static final byte CL_DEACTIVATED = (byte) 0x00;
    public static final byte CL_ACTIVATED = (byte) 0x01;
    /** C1 values: 00 active, 01 locked, 02 expired (as in the account record), FF no authentic record. */
    public static final byte ACCOUNT_UNKNOWN = (byte) 0xFF;
    /** C6 bits. */
    public static final byte PIN_FLAG_VERIFIED = (byte) 0x01;
    public static final byte PIN_FLAG_TRANSPORT = (byte) 0x02;

    /** Length of the smart-selection PDOL value that {@link #writeSmartSelectionPdol} writes. */
    public static final short SMART_SELECTION_PDOL_LENGTH = 11;

    /**
     * Writes the smart-selection PDOL value (PROTOCOL.md 2.1) at {@code to[at]}: 9F02 06, 5F2A 02, 9C 01,
     * 9F37 04; returns the offset after it. Code, not a static array: a library package may not initialize one.
     */
    public static short writeSmartSelectionPdol(byte[] to, short at) {
        at = Util.setShort(to, at, (short) 0x9F02);
        to[at++] = (byte) 0x06;
        at = Util.setShort(to, at, (short) 0x5F2A);
        to[at++] = (byte) 0x02;
        to[at++] = (byte) 0x9C;
        to[at++] = (byte) 0x01;
        at = Util.setShort(to, at, (short) 0x9F37);
        to[at++] = (byte) 0x04;
        return at;
    }
    /** Length of the PDOL-related data the terminal sends inside template 83. */
    public static final short PDOL_DATA_LENGTH = 13;
    /** 9C value for a purchase (goods and services). */
    public static final byte TRANSACTION_TYPE_PURCHASE = (byte) 0x00;

    /** Length of issuer discretionary data 9F0C of the EP (PROTOCOL.md 3.1). */
    public static final short ISSUER_DATA_LENGTH = 30;
    /** 9F0C layout (PROTOCOL.md 3.1): issuer ID (8) | application type (1) | application version (1) |
     *  application serial number (10) | start date (4) | expiry date (4) | currency (2). */
    public static final short ISSUER_DATA_OFFSET_TYPE = 8;
    public static final short ISSUER_DATA_OFFSET_SERIAL = 10;
    public static final short ISSUER_DATA_OFFSET_START_DATE = 20;
    public static final short ISSUER_DATA_OFFSET_EXPIRY_DATE = 24;
    public static final short ISSUER_DATA_OFFSET_CURRENCY = 28;

    // ---- Electronic purse command and response lengths (PROTOCOL.md 3.2, JR/T 0025) ----
    public static final byte P1_NONE = (byte) 0x00;
    public static final byte P2_NONE = (byte) 0x00;
    /** INITIALIZE FOR PURCHASE / LOAD data: key index (1) | amount (4) | terminal ID (6). */
    public static final short INITIALIZE_DATA_LENGTH = 11;
    /** DEBIT FOR PURCHASE data: terminal serial (4) | date (4) | time (3) | MAC1 (4). */
    public static final short DEBIT_DATA_LENGTH = 15;
    /** CREDIT FOR LOAD data: date (4) | time (3) | MAC2 (4). */
    public static final short CREDIT_DATA_LENGTH = 11;
    /** GET TRANSACTION PROVE data: the counter INITIALIZE returned (2). */
    public static final short PROVE_DATA_LENGTH = 2;
    /** balance (4) | offline counter (2) | overdraft limit (3) | key version (1) | algorithm ID (1) | random (4). */
    public static final short INITIALIZE_PURCHASE_RESPONSE_LENGTH = 15;
    /** old balance (4) | online counter (2) | key version (1) | algorithm ID (1) | random (4) | MAC1 (4). */
    public static final short INITIALIZE_LOAD_RESPONSE_LENGTH = 16;
    public static final short AMOUNT_LENGTH = 4;
    public static final short COUNTER_LENGTH = 2;
    public static final short TERMINAL_ID_LENGTH = 6;
    public static final short TERMINAL_SERIAL_LENGTH = 4;
    public static final short DATE_LENGTH = 4;
    public static final short TIME_LENGTH = 3;
    public static final short RANDOM_LENGTH = 4;
    public static final short OVERDRAFT_LIMIT_LENGTH = 3;
    /** MAC1, MAC2 and TAC. */
    public static final short MAC_LENGTH = 4;
    /** Log record (docs/protocol.md 3.2): counter (2) | overdraft limit (3) | amount (4) | type (1) |
     *  terminal ID (6) | date (4) | time (3). */
    public static final short LOG_RECORD_LENGTH = 23;
    /** The cyclic log keeps this many records; READ RECORD numbers them 1 (newest) .. 10. */
    public static final byte LOG_RECORD_COUNT = (byte) 10;
    /** GET CHALLENGE answer: the card random (JR/T 0025: 4 bytes), left half of the script MAC's IV. */
    public static final short CHALLENGE_LENGTH = 4;
    /** APPLICATION BLOCK / UNBLOCK data: the script MAC (4), Lc 04. */
    public static final short SCRIPT_MAC_LENGTH = 4;
    /** Consecutive wrong script MACs that retire the maintenance key (docs/protocol.md 3.6). */
    public static final byte SCRIPT_FAILURE_LIMIT = (byte) 10;
    /** Consecutive MAC failures that lock the application (JR/T 0025 default). */
    public static final byte MAC_FAILURE_LIMIT = (byte) 10;

    // ---- Personalization DGIs (docs/protocol.md "Personalization") ----
    public static final short DGI_ISSUER_DATA = (short) 0x0101;
    public static final short DGI_MAX_BALANCE = (short) 0x0102;
    public static final short DGI_LABEL = (short) 0x0103;
    public static final short DGI_PRIORITY = (short) 0x0104;
    public static final short DGI_PURCHASE_KEY = (short) 0x8101;
    public static final short DGI_LOAD_KEY = (short) 0x8102;
    public static final short DGI_TAC_KEY = (short) 0x8103;
    /** Application maintenance key DAMK (issuer scripts: APPLICATION BLOCK / UNBLOCK); optional. */
    public static final short DGI_MAINTENANCE_KEY = (short) 0x8104;
    /** Key DGI value: key index (1) | key version (1) | algorithm ID (1) | key (16). */
    public static final short KEY_DGI_LENGTH = 19;
    /** A DGI whose tag has this bit is secret: its value travels encrypted under the session's S-DEK. */
    public static final short DGI_SECRET = (short) 0x8000;

    // ---- Authenticated personalization (docs/protocol.md 3.3) ----
    /** Purse install parameters: personalization key version (1) | KPERSO (16), then optionally the selector's AID. */
    public static final short PERSO_KEY_PARAMETERS_LENGTH = 17;
    /** INITIALIZE PERSONALIZATION answers key version (1) | card challenge (6). */
    public static final short PERSO_CHALLENGE_LENGTH = 6;
    /** Every authenticated STORE DATA ends in an 8-byte C-MAC. */
    public static final short PERSO_MAC_LENGTH = 8;
    /** Session key derivation constants (GlobalPlatform SCP02's): C-MAC and DEK. */
    public static final short PERSO_PURPOSE_MAC = (short) 0x0101;
    public static final short PERSO_PURPOSE_DEK = (short) 0x0181;

    // ---- Selector install parameters (docs/protocol.md "Installation") ----
    /** Install parameter byte 0, b1: legacy PPSE (no 9F38, no smart selection). */
    public static final byte INSTALL_FLAG_LEGACY = (byte) 0x01;
    /**
     * Install flag b2 (selector byte 0; a purse's only parameter byte): build the account record's AES-CMAC
     * from the AES block cipher even where the platform has ALG_AES_CMAC_128 (without it, always).
     */
    public static final byte INSTALL_FLAG_SOFTWARE_CMAC = (byte) 0x02;
    public static final byte POLICY_PRIORITY = (byte) 0x00;
    public static final byte POLICY_BEST_FIT = (byte) 0x01;
    public static final byte POLICY_MOST_FUNDS = (byte) 0x02;
    public static final byte POLICY_ANY = (byte) 0x03;
    /** The selector's registry holds at most this many card applications (docs/protocol.md 2.2, 2.4). */
    public static final short SELECTOR_REGISTRY_CAPACITY = 16;
    /** Install parameter bytes 2..: the holder PIN, 4..8 ASCII digits; absent: the transport PIN ({@link #writeTransportPin}). */
    public static final short INSTALL_PIN_OFFSET = 2;

    // ---- Holder PIN (docs/protocol.md 5.2) ----
    /** Wrong PINs in a row that block the holder PIN. */
    public static final byte PIN_TRY_LIMIT = (byte) 3;
    public static final short PIN_MIN_DIGITS = 4;
    public static final short PIN_MAX_DIGITS = 8;
    /** PIN block: the ASCII digits, padded with FF to 8 bytes. */
    public static final short PIN_BLOCK_LENGTH = 8;
    public static final byte PIN_PAD = (byte) 0xFF;
    /** Length of the PIN a selector installed without one starts with ({@link #writeTransportPin}). */
    public static final byte TRANSPORT_PIN_LENGTH = 4;

    /** Writes the transport PIN "1234", to be changed before anything else, at {@code to[at]}; returns the offset after it. */
    public static short writeTransportPin(byte[] to, short at) {
        at = Util.setShort(to, at, (short) 0x3132);
        return Util.setShort(to, at, (short) 0x3334);
    }

    // ---- Status words (ISO/IEC 7816-4 5.6; JR/T 0025; PROTOCOL.md 2.2 and 3.4) ----
    public static final short SW_OK = (short) 0x9000;
    public static final short SW_BYTES_REMAINING = (short) 0x6100;
    /** ISO 7816-4 warning "selected file deactivated": SELECT of a temporarily blocked purse, with its FCI. */
    public static final short SW_SELECTED_FILE_DEACTIVATED = (short) 0x6283;
    /** Amd C GET STATUS: more entries follow, ask with P2 = 01. */
    public static final short SW_MORE_DATA = (short) 0x6310;
    /** ISO 7816-4: verification failed, low nibble = tries left. */
    public static final short SW_PIN_TRIES_LEFT = (short) 0x63C0;
    public static final short SW_SECURITY_STATUS_NOT_SATISFIED = (short) 0x6982;
    /** ISO 7816-4 / JR/T 0025: incorrect secure messaging data objects (an issuer script's MAC, a STORE DATA's C-MAC). */
    public static final short SW_SM_DATA_INCORRECT = (short) 0x6988;
    public static final short SW_PIN_BLOCKED = (short) 0x6983;
    public static final short SW_REFERENCE_DATA_NOT_USABLE = (short) 0x6984;
    public static final short SW_INSUFFICIENT_FUNDS = (short) 0x9401;
    public static final short SW_MAC_INVALID = (short) 0x9302;
    public static final short SW_APPLICATION_LOCKED = (short) 0x9303;
    public static final short SW_KEY_INDEX_NOT_FOUND = (short) 0x9403;
    public static final short SW_PROOF_NOT_AVAILABLE = (short) 0x9406;
    public static final short SW_WRONG_LENGTH = (short) 0x6700;
    public static final short SW_COMMAND_OUT_OF_SEQUENCE = (short) 0x6901;
    public static final short SW_CONDITIONS_NOT_SATISFIED = (short) 0x6985;
    public static final short SW_WRONG_DATA = (short) 0x6A80;
    public static final short SW_FUNCTION_NOT_SUPPORTED = (short) 0x6A81;
    public static final short SW_FILE_NOT_FOUND = (short) 0x6A82;
    public static final short SW_RECORD_NOT_FOUND = (short) 0x6A83;
    public static final short SW_NOT_ENOUGH_MEMORY = (short) 0x6A84;
    public static final short SW_WRONG_P1P2 = (short) 0x6A86;
    public static final short SW_REFERENCED_DATA_NOT_FOUND = (short) 0x6A88;
    public static final short SW_INS_NOT_SUPPORTED = (short) 0x6D00;
    public static final short SW_CLA_NOT_SUPPORTED = (short) 0x6E00;
}
