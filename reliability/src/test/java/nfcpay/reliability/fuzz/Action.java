package nfcpay.reliability.fuzz;

import nfcpay.reliability.sim.Bytes;

/**
 * One step of a fuzzed exchange with the card. Jazzer decodes its input into actions, the seeded
 * properties ({@link CardPropertiesTest}) generate them; {@link Exercise} runs them against the oracles.
 * {@code toString} shows bytes as hex, so that a shrunk failing sequence reads as the commands it sent.
 */
sealed interface Action {

    /** Any command bytes; sent as they are when they form an APDU, else as header + data. */
    record Raw(byte[] bytes) implements Action {
        @Override
        public String toString() {
            return "Raw[" + Bytes.hex(bytes) + "]";
        }
    }

    /**
     * The bureau's STORE DATA (docs/protocol.md 3.3): fuzzed DGIs in a personalization session under the exercised
     * purse's KPERSO, opened first when there is none; P1 {@code 00}/{@code 80} mean {@code 28}/{@code A8}.
     */
    record StoreData(int p1, int p2, byte[] data) implements Action {
        @Override
        public String toString() {
            return String.format("StoreData[%02X %02X %s]", p1, p2, Bytes.hex(data));
        }
    }

    /** A command built from fields, usually near the contract's commands. */
    record Command(int cla, int ins, int p1, int p2, byte[] data, int ne) implements Action {
        @Override
        public String toString() {
            return String.format("Command[%02X %02X %02X %02X %s Ne=%d]", cla, ins, p1, p2, Bytes.hex(data), ne);
        }
    }

    /**
     * An INITIALIZE then DEBIT (purchase) or CREDIT (load) that the terminal signs with the right keys,
     * over fuzzed amount, terminal, date and time; {@code corruption} 0 keeps the MAC, 1 flips a MAC bit,
     * 2 sends the second command without the INITIALIZE, 3 puts another command in between.
     */
    record Session(boolean purchase, long amount, byte[] terminalId, String date, String time, int corruption,
            boolean fitAmount, int serial) implements Action {

        /** A session with the amount as given and the terminal's own serial. */
        Session(boolean purchase, long amount, byte[] terminalId, String date, String time, int corruption) {
            this(purchase, amount, terminalId, date, time, corruption, false, -1);
        }

        @Override
        public String toString() {
            return "Session[" + (purchase ? "purchase " : "load ") + amount + (fitAmount ? " (fit)" : "") + " terminal "
                    + Bytes.hex(terminalId) + " " + date + " " + time + " corruption " + corruption
                    + (serial < 0 ? "" : " serial " + serial) + "]";
        }
    }

    /**
     * A holder command to the selector (docs/protocol.md 5), over the contact interface: {@code command}
     * 0 VERIFY, 1 CHANGE REFERENCE DATA, 2 SET STATUS, 3 SET PRIORITY ORDER, 4 SET SELECTION POLICY,
     * 5 GET STATUS, 6 GET DATA A5; {@code verifyFirst} sends VERIFY with the right PIN before it (the
     * session the changing commands need), {@code rightPin} uses the right PIN where the command carries
     * one, {@code a}, {@code b} and {@code data} are its fuzzed fields.
     */
    record Holder(int command, boolean verifyFirst, boolean rightPin, int a, int b, byte[] data) implements Action {
        @Override
        public String toString() {
            return "Holder[" + command + (verifyFirst ? " verified" : "") + (rightPin ? " right PIN" : "") + " " + a + " " + b
                    + " " + Bytes.hex(data) + "]";
        }
    }

    /** SELECT of: 0 the purse under test, 1 the PPSE, 2 another purse, 3 an AID not on the card. */
    record Select(int target) implements Action {}

    /** GET PROCESSING OPTIONS with a well-formed template 83 0D and fuzzed fields (amount as 6 BCD bytes). */
    record Gpo(byte[] amount, byte[] currency, int type, int p1p2) implements Action {
        @Override
        public String toString() {
            return "Gpo[" + Bytes.hex(amount) + " " + Bytes.hex(currency) + " type " + type + String.format(" P1P2 %04X]", p1p2);
        }
    }
}
