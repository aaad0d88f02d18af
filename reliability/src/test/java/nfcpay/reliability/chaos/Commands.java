package nfcpay.reliability.chaos;

/** Names a command APDU of the contract by its header, for the figures (PROTOCOL.md 2 and 3.2). */
final class Commands {

    private Commands() {}

    static String name(byte[] apdu) {
        if (apdu == null || apdu.length < 4) {
            return "?";
        }
        int ins = apdu[1] & 0xFF;
        int p1 = apdu[2] & 0xFF;
        switch (ins) {
            case 0xA4:
                // 2PAY.SYS.DDF01 starts with '2'
                return apdu.length > 5 && apdu[5] == '2' ? "SELECT PPSE" : "SELECT AID";
            case 0xA8:
                return "GET PROCESSING OPTIONS";
            case 0x50:
                return p1 == 0x01 ? "INITIALIZE FOR PURCHASE" : "INITIALIZE FOR LOAD";
            case 0x54:
                return "DEBIT FOR PURCHASE";
            case 0x52:
                return "CREDIT FOR LOAD";
            case 0x5A:
                return "GET TRANSACTION PROVE";
            case 0xB2:
                return "READ RECORD";
            case 0x5C:
                return "GET BALANCE";
            case 0xC0:
                return "GET RESPONSE";
            default:
                return String.format("INS %02X", ins);
        }
    }
}
