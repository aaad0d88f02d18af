package nfcpay.reliability.fuzz;

/**
 * One step of a fuzzed exchange with the card. Jazzer decodes its input into actions, jqwik generates
 * them; {@link Exercise} runs them against the oracles.
 */
sealed interface Action {

    /** Any command bytes; sent as they are when they form an APDU, else as header + data. */
    record Raw(byte[] bytes) implements Action {}

    /** A command built from fields, usually near the contract's commands. */
    record Command(int cla, int ins, int p1, int p2, byte[] data, int ne) implements Action {}

    /**
     * An INITIALIZE then DEBIT (purchase) or CREDIT (load) that the terminal signs with the right keys,
     * over fuzzed amount, terminal, date and time; {@code corruption} 0 keeps the MAC, 1 flips a MAC bit,
     * 2 sends the second command without the INITIALIZE, 3 puts another command in between.
     */
    record Session(boolean purchase, long amount, byte[] terminalId, String date, String time, int corruption)
            implements Action {}

    /** SELECT of: 0 the purse under test, 1 the PPSE, 2 another purse, 3 an AID not on the card. */
    record Select(int target) implements Action {}

    /** GET PROCESSING OPTIONS with a well-formed template 83 0D and fuzzed fields (amount as 6 BCD bytes). */
    record Gpo(byte[] amount, byte[] currency, int type, int p1p2) implements Action {}
}
