package nfcpay.terminal.apdu;

import java.util.HexFormat;

/**
 * Every byte the terminal puts on or reads from the wire, in one place (PROTOCOL.md; the project's
 * choices in docs/protocol.md). The card keeps its own copy in {@code nfcpay.card.Wire}; where a name
 * appears on both sides a test holds the two values equal, so the names here follow the card's.
 * Values are unsigned ints (the card's are Java Card bytes and shorts).
 */
public final class TerminalWire {

    private TerminalWire() {}

    // ---- Application identifiers ----
    /** "2PAY.SYS.DDF01", the proximity payment system environment (EMV Book B, PROTOCOL.md 2). */
    public static final byte[] PPSE_AID = HexFormat.of().parseHex("325041592E5359532E4444463031");

    // ---- Class bytes (ISO/IEC 7816-4 5.4.1; proprietary 80 per JR/T 0025) ----
    public static final int CLA_ISO = 0x00;
    public static final int CLA_PROPRIETARY = 0x80;
    /** Proprietary class with secure messaging: the issuer scripts of JR/T 0025 (docs/protocol.md 3.6). */
    public static final int CLA_SECURE_MESSAGING = 0x84;

    // ---- Instructions ----
    public static final int INS_SELECT = 0xA4;
    public static final int INS_READ_RECORD = 0xB2;
    public static final int INS_GET_RESPONSE = 0xC0;
    public static final int INS_GET_PROCESSING_OPTIONS = 0xA8;
    public static final int INS_INITIALIZE = 0x50;
    public static final int INS_CREDIT_FOR_LOAD = 0x52;
    public static final int INS_DEBIT_FOR_PURCHASE = 0x54;
    public static final int INS_GET_TRANSACTION_PROVE = 0x5A;
    public static final int INS_GET_BALANCE = 0x5C;
    /** Personalization only: the terminal never sends it, the trace masks it if it ever sees one. */
    public static final int INS_STORE_DATA = 0xE2;
    /** Issuer scripts (docs/protocol.md 3.6): sent by the operator's maintenance command, never by a sale. */
    public static final int INS_GET_CHALLENGE = 0x84;
    public static final int INS_APPLICATION_BLOCK = 0x1E;
    public static final int INS_APPLICATION_UNBLOCK = 0x18;
    /** Personalization only (docs/protocol.md 3.3): the purse's card challenge before an authenticated STORE DATA. */
    public static final int INS_INITIALIZE_PERSONALIZATION = 0xE0;

    // ---- Parameters ----
    /** SELECT P1: by DF name (AID); P2 00: first or only occurrence, return FCI. */
    public static final int P1_SELECT_BY_NAME = 0x04;
    public static final int P2_SELECT_FIRST = 0x00;
    public static final int P1_INITIALIZE_LOAD = 0x00;
    public static final int P1_INITIALIZE_PURCHASE = 0x01;
    public static final int P1_DEBIT = 0x01;
    public static final int P2_ELECTRONIC_PURSE = 0x02;
    /** READ RECORD P2: SFI 18 (0x18 << 3) with b3..b1 = 100 (record number in P1). */
    public static final int P2_READ_RECORD_LOG = 0xC4;
    /** APPLICATION BLOCK P2: temporary (UNBLOCK lifts it) or permanent. */
    public static final int P2_BLOCK_TEMPORARY = 0x00;
    public static final int P2_BLOCK_PERMANENT = 0x01;

    // ---- Transaction types and constants of JR/T 0025 ----
    public static final int TRANSACTION_LOAD = 0x02;
    public static final int TRANSACTION_PURCHASE = 0x06;
    public static final int KEY_INDEX = 0x01;
    public static final int ALGORITHM_DES = 0x00;
    public static final int APPLICATION_TYPE_EP = 0x02;

    // ---- BER-TLV tags (EMV Book 1/3, Book B) ----
    public static final int TAG_FCI_TEMPLATE = 0x6F;
    public static final int TAG_DF_NAME = 0x84;
    public static final int TAG_FCI_PROPRIETARY = 0xA5;
    public static final int TAG_FCI_ISSUER_DISCRETIONARY = 0xBF0C;
    public static final int TAG_DIRECTORY_ENTRY = 0x61;
    public static final int TAG_AID = 0x4F;
    public static final int TAG_LABEL = 0x50;
    public static final int TAG_PRIORITY = 0x87;
    public static final int TAG_PDOL = 0x9F38;
    public static final int TAG_ISSUER_DATA = 0x9F0C;
    public static final int TAG_COMMAND_TEMPLATE = 0x83;
    public static final int TAG_RESPONSE_TEMPLATE_2 = 0x77;

    /** The smart-selection PDOL (PROTOCOL.md 2.1): 9F02 06, 5F2A 02, 9C 01, 9F37 04. */
    public static final byte[] SMART_SELECTION_PDOL = HexFormat.of().parseHex("9F02065F2A029C019F3704");
    /** Length of the PDOL-related data inside template 83: amount 6, currency 2, type 1, UN 4. */
    public static final int PDOL_DATA_LENGTH = 13;
    /** 9C value for a purchase (goods and services). */
    public static final int TRANSACTION_TYPE_PURCHASE = 0x00;

    // ---- Lengths of the data fields (PROTOCOL.md 3) ----
    /** Issuer discretionary data 9F0C of the EP. */
    public static final int ISSUER_DATA_LENGTH = 30;
    public static final int APPLICATION_SERIAL_LENGTH = 10;
    public static final int TERMINAL_ID_LENGTH = 6;
    public static final int INITIALIZE_FOR_PURCHASE_RESPONSE_LENGTH = 15;
    public static final int DEBIT_FOR_PURCHASE_RESPONSE_LENGTH = 8;
    public static final int INITIALIZE_FOR_LOAD_RESPONSE_LENGTH = 16;
    public static final int CREDIT_FOR_LOAD_RESPONSE_LENGTH = 4;
    public static final int GET_BALANCE_RESPONSE_LENGTH = 4;
    public static final int TRANSACTION_PROVE_RESPONSE_LENGTH = 8;
    public static final int LOG_RECORD_LENGTH = 23;
    /** The card keeps this many log records (cyclic, record 1 the newest). */
    public static final int LOG_RECORDS = 10;
    /** GET CHALLENGE answer: the card random the script MAC starts from. */
    public static final int CHALLENGE_LENGTH = 4;
    /** APPLICATION BLOCK / UNBLOCK data: the script MAC. */
    public static final int SCRIPT_MAC_LENGTH = 4;

    // ---- Status words (ISO/IEC 7816-4 5.6; JR/T 0025; PROTOCOL.md 2.2 and 3.4) ----
    public static final int SW_OK = 0x9000;
    /** SW1 61: SW2 more bytes wait for GET RESPONSE. */
    public static final int SW_BYTES_REMAINING = 0x6100;
    /** SW1 6C: wrong Le, SW2 is the right one. */
    public static final int SW_CORRECT_LENGTH = 0x6C00;
    /** SELECT of an issuer-blocked (temporary) purse: its FCI, with this warning. */
    public static final int SW_SELECTED_FILE_DEACTIVATED = 0x6283;
    /** Issuer scripts: over contactless; the maintenance key retired after ten wrong MACs; no challenge; wrong MAC. */
    public static final int SW_SECURITY_STATUS_NOT_SATISFIED = 0x6982;
    public static final int SW_PIN_BLOCKED = 0x6983;
    public static final int SW_REFERENCE_DATA_NOT_USABLE = 0x6984;
    public static final int SW_SM_DATA_INCORRECT = 0x6988;
    public static final int SW_INSUFFICIENT_FUNDS = 0x9401;
    public static final int SW_MAC_INVALID = 0x9302;
    public static final int SW_APPLICATION_LOCKED = 0x9303;
    public static final int SW_KEY_INDEX_NOT_FOUND = 0x9403;
    public static final int SW_PROOF_NOT_AVAILABLE = 0x9406;
    public static final int SW_WRONG_LENGTH = 0x6700;
    public static final int SW_COMMAND_OUT_OF_SEQUENCE = 0x6901;
    public static final int SW_CONDITIONS_NOT_SATISFIED = 0x6985;
    public static final int SW_WRONG_DATA = 0x6A80;
    public static final int SW_FUNCTION_NOT_SUPPORTED = 0x6A81;
    public static final int SW_FILE_NOT_FOUND = 0x6A82;
    public static final int SW_RECORD_NOT_FOUND = 0x6A83;
    public static final int SW_NOT_ENOUGH_MEMORY = 0x6A84;
    public static final int SW_WRONG_P1P2 = 0x6A86;
    public static final int SW_REFERENCED_DATA_NOT_FOUND = 0x6A88;
    public static final int SW_INS_NOT_SUPPORTED = 0x6D00;
    public static final int SW_CLA_NOT_SUPPORTED = 0x6E00;

    /** What a status word means, for messages (never for decisions). */
    public static String describe(int sw) {
        switch (sw & 0xFF00) {
            case SW_BYTES_REMAINING:
                return "more response bytes available";
            case SW_CORRECT_LENGTH:
                return "wrong Le";
            default:
                break;
        }
        switch (sw) {
            case SW_OK: return "success";
            case SW_SELECTED_FILE_DEACTIVATED: return "application blocked by its issuer";
            case SW_SECURITY_STATUS_NOT_SATISFIED: return "security status not satisfied";
            case SW_PIN_BLOCKED: return "authentication method blocked";
            case SW_REFERENCE_DATA_NOT_USABLE: return "reference data not usable";
            case SW_SM_DATA_INCORRECT: return "secure messaging MAC incorrect";
            case SW_INSUFFICIENT_FUNDS: return "balance less than the amount";
            case SW_MAC_INVALID: return "MAC invalid";
            case SW_APPLICATION_LOCKED: return "application locked";
            case SW_KEY_INDEX_NOT_FOUND: return "key index not found";
            case SW_PROOF_NOT_AVAILABLE: return "proof not available";
            case SW_WRONG_LENGTH: return "wrong length";
            case SW_COMMAND_OUT_OF_SEQUENCE: return "command out of sequence";
            case SW_CONDITIONS_NOT_SATISFIED: return "conditions not satisfied";
            case SW_WRONG_DATA: return "wrong data";
            case SW_FUNCTION_NOT_SUPPORTED: return "function not supported";
            case SW_FILE_NOT_FOUND: return "application not found";
            case SW_RECORD_NOT_FOUND: return "record not found";
            case SW_NOT_ENOUGH_MEMORY: return "not enough memory";
            case SW_WRONG_P1P2: return "wrong P1/P2";
            case SW_REFERENCED_DATA_NOT_FOUND: return "referenced data not found";
            case SW_INS_NOT_SUPPORTED: return "instruction not supported";
            case SW_CLA_NOT_SUPPORTED: return "class not supported";
            default: return "unexpected status";
        }
    }

    /**
     * The commands of PROTOCOL.md by header. A P1 or P2 of -1 varies per use (READ RECORD's record
     * number, GET TRANSACTION PROVE's transaction type).
     */
    public enum Command {
        SELECT("SELECT", CLA_ISO, INS_SELECT, P1_SELECT_BY_NAME, P2_SELECT_FIRST),
        GET_PROCESSING_OPTIONS("GET PROCESSING OPTIONS", CLA_PROPRIETARY, INS_GET_PROCESSING_OPTIONS, 0x00, 0x00),
        INITIALIZE_FOR_PURCHASE("INITIALIZE FOR PURCHASE", CLA_PROPRIETARY, INS_INITIALIZE, P1_INITIALIZE_PURCHASE, P2_ELECTRONIC_PURSE),
        DEBIT_FOR_PURCHASE("DEBIT FOR PURCHASE", CLA_PROPRIETARY, INS_DEBIT_FOR_PURCHASE, P1_DEBIT, 0x00),
        INITIALIZE_FOR_LOAD("INITIALIZE FOR LOAD", CLA_PROPRIETARY, INS_INITIALIZE, P1_INITIALIZE_LOAD, P2_ELECTRONIC_PURSE),
        CREDIT_FOR_LOAD("CREDIT FOR LOAD", CLA_PROPRIETARY, INS_CREDIT_FOR_LOAD, 0x00, 0x00),
        GET_BALANCE("GET BALANCE", CLA_PROPRIETARY, INS_GET_BALANCE, 0x00, P2_ELECTRONIC_PURSE),
        GET_TRANSACTION_PROVE("GET TRANSACTION PROVE", CLA_PROPRIETARY, INS_GET_TRANSACTION_PROVE, 0x00, -1),
        READ_RECORD("READ RECORD", CLA_ISO, INS_READ_RECORD, -1, P2_READ_RECORD_LOG),
        GET_RESPONSE("GET RESPONSE", CLA_ISO, INS_GET_RESPONSE, 0x00, 0x00),
        STORE_DATA("STORE DATA", CLA_PROPRIETARY, INS_STORE_DATA, -1, -1),
        /** The purse's authenticated STORE DATA (docs/protocol.md 3.3): only a bureau sends it; masked like the plaintext one. */
        STORE_DATA_AUTHENTICATED("STORE DATA", CLA_SECURE_MESSAGING, INS_STORE_DATA, -1, -1),
        GET_CHALLENGE("GET CHALLENGE", CLA_ISO, INS_GET_CHALLENGE, 0x00, 0x00),
        APPLICATION_BLOCK("APPLICATION BLOCK", CLA_SECURE_MESSAGING, INS_APPLICATION_BLOCK, 0x00, -1),
        APPLICATION_UNBLOCK("APPLICATION UNBLOCK", CLA_SECURE_MESSAGING, INS_APPLICATION_UNBLOCK, 0x00, 0x00);

        private final String title;
        private final int cla;
        private final int ins;
        private final int p1;
        private final int p2;

        Command(String title, int cla, int ins, int p1, int p2) {
            this.title = title;
            this.cla = cla;
            this.ins = ins;
            this.p1 = p1;
            this.p2 = p2;
        }

        public int cla() {
            return cla;
        }

        public int ins() {
            return ins;
        }

        /** The fixed P1, or -1 where it varies. */
        public int p1() {
            return p1;
        }

        /** The fixed P2, or -1 where it varies. */
        public int p2() {
            return p2;
        }

        /** The command's name as the standards write it, e.g. "DEBIT FOR PURCHASE". */
        public String title() {
            return title;
        }

        /** The command a raw APDU header stands for, or null for one this terminal does not know. */
        public static Command of(byte[] apdu) {
            if (apdu == null || apdu.length < 4) {
                return null;
            }
            for (Command c : values()) {
                if ((apdu[0] & 0xFF) == c.cla && (apdu[1] & 0xFF) == c.ins
                        && (c.p1 < 0 || (apdu[2] & 0xFF) == c.p1) && (c.p2 < 0 || (apdu[3] & 0xFF) == c.p2)) {
                    return c;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return title;
        }
    }
}
