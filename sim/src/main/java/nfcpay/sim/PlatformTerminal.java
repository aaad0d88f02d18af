package nfcpay.sim;

import java.nio.ByteBuffer;
import java.util.Objects;
import javax.smartcardio.ATR;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * A {@code javax.smartcardio} reader with a {@link CardPlatform} in its field, so the terminal's whole stack (the
 * kernel, the holder's session) runs unchanged on any card a SIM is assembled on: Oracle's reference VM as much as
 * jcardsim (which brings its own terminal). One basic channel, no logical channels; {@code disconnect(true)} resets
 * the card; every command holds {@code lock}, which in-process code that also talks to the card must hold too.
 * A platform failure (a reference VM that died or hung) is a {@link CardException}, as a reader reports a lost card.
 */
public final class PlatformTerminal extends CardTerminal {

    private final CardPlatform platform;
    private final Object lock;
    private final String name;

    public PlatformTerminal(CardPlatform platform, Object lock, String name) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Card connect(String protocol) throws CardException {
        if (!protocol.equals("*") && !protocol.equals("T=1")) {
            throw new CardException("protocol " + protocol + " is not supported; T=1 or *");
        }
        return new PlatformCard();
    }

    @Override
    public boolean isCardPresent() {
        return true;
    }

    @Override
    public boolean waitForCardPresent(long timeout) {
        return true;
    }

    @Override
    public boolean waitForCardAbsent(long timeout) {
        return false;
    }

    private final class PlatformCard extends Card {
        private final CardChannel basic = new PlatformChannel(this);
        private boolean connected = true;

        @Override
        public ATR getATR() {
            synchronized (lock) {
                return new ATR(platform.atr());
            }
        }

        @Override
        public String getProtocol() {
            return "T=1";
        }

        @Override
        public CardChannel getBasicChannel() {
            requireConnected();
            return basic;
        }

        @Override
        public CardChannel openLogicalChannel() throws CardException {
            throw new CardException("logical channels are not supported");
        }

        @Override
        public void beginExclusive() {
            requireConnected();
        }

        @Override
        public void endExclusive() {
            requireConnected();
        }

        @Override
        public byte[] transmitControlCommand(int controlCode, byte[] command) throws CardException {
            throw new CardException("control commands are not supported");
        }

        @Override
        public void disconnect(boolean reset) throws CardException {
            if (!connected) {
                return;
            }
            connected = false;
            if (reset) {
                synchronized (lock) {
                    try {
                        platform.reset();
                    } catch (RuntimeException e) {
                        throw new CardException("card reset failed: " + e.getMessage(), e);
                    }
                }
            }
        }

        private void requireConnected() {
            if (!connected) {
                throw new IllegalStateException("card disconnected");
            }
        }
    }

    private final class PlatformChannel extends CardChannel {
        private final PlatformCard card;

        PlatformChannel(PlatformCard card) {
            this.card = card;
        }

        @Override
        public Card getCard() {
            return card;
        }

        @Override
        public int getChannelNumber() {
            return 0;
        }

        @Override
        public ResponseAPDU transmit(CommandAPDU command) throws CardException {
            card.requireConnected();
            synchronized (lock) {
                try {
                    return platform.transmit(command);
                } catch (RuntimeException e) {
                    throw new CardException("the card did not answer: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public int transmit(ByteBuffer command, ByteBuffer response) throws CardException {
            byte[] in = new byte[command.remaining()];
            command.get(in);
            byte[] out = transmit(new CommandAPDU(in)).getBytes();
            response.put(out);
            return out.length;
        }

        @Override
        public void close() {
            throw new IllegalStateException("the basic channel cannot be closed");
        }
    }
}
