package nfcpay.reliability.sim;

import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/** One command to the card, one response (a {@code TransactionalCard} or any jcardsim card). */
@FunctionalInterface
public interface Transport {
    ResponseAPDU transmit(CommandAPDU command);
}
