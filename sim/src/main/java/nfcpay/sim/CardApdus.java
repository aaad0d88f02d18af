package nfcpay.sim;

import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/** Sends the simulator's own set-up commands and insists on 9000: a failed set-up is a bug, not a state. */
final class CardApdus {

    private final CardPlatform card;

    CardApdus(CardPlatform card) {
        this.card = card;
    }

    byte[] send(CommandAPDU command, String what) {
        ResponseAPDU response = card.transmit(command);
        if (response.getSW() != 0x9000) {
            throw new IllegalStateException(what + " failed: SW " + String.format("%04X", response.getSW()));
        }
        return response.getData();
    }

    void select(byte[] aid, String what) {
        send(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, aid, 256), "SELECT " + what);
    }
}
