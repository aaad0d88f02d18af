package nfcpay.terminal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import nfcpay.terminal.apdu.Bytes;
import nfcpay.terminal.testing.StallingTransport;
import nfcpay.terminal.transport.WrapperTransportsTest.Scripted;
import org.junit.jupiter.api.Test;

/** Every command under a bound, on the one thread that owns the card. */
class BoundedTransportTest {

    @Test
    void answersPassThroughFromOneThreadOfTheCardsOwn() throws TransportException {
        AtomicReference<Thread> seen = new AtomicReference<>();
        Scripted card = new Scripted("9000", "6A82");
        Transport threadChecking = new Transport() {
            @Override
            public byte[] transceive(byte[] command) throws TransportException {
                assertThat(seen.compareAndSet(null, Thread.currentThread()) || seen.get() == Thread.currentThread())
                        .as("always the same thread: PC/SC exclusive access belongs to it").isTrue();
                return card.transceive(command);
            }

            @Override
            public void close() {}
        };
        try (BoundedTransport t = BoundedTransport.over(threadChecking, Duration.ofSeconds(5))) {
            assertThat(Bytes.hex(t.transceive(Bytes.fromHex("00A4040000")))).isEqualTo("9000");
            assertThat(Bytes.hex(t.transceive(Bytes.fromHex("00A4040000")))).isEqualTo("6A82");
        }
        assertThat(seen.get()).isNotEqualTo(Thread.currentThread());
        assertThat(seen.get().isDaemon()).as("a stalled card never keeps the process alive").isTrue();
    }

    @Test
    void aCardThatStopsAnsweringIsGivenUpAfterTheBound() throws TransportException {
        StallingTransport card = new StallingTransport(new Scripted("9000", "9000"), 1);
        BoundedTransport t = BoundedTransport.over(card, Duration.ofMillis(300));
        try {
            t.transceive(Bytes.fromHex("00A4040000"));
            long start = System.nanoTime();
            assertThatThrownBy(() -> t.transceive(Bytes.fromHex("805C000204"))).isInstanceOf(CardStalledException.class)
                    .isInstanceOf(CardRemovedException.class) // the command may have run: a tear for the kernel
                    .hasMessage("the card stopped answering: no answer within 0.3 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(t.stalled()).isTrue();
            assertThatThrownBy(() -> t.transceive(Bytes.fromHex("00A4040000"))).as("the card is given up")
                    .isInstanceOf(CardStalledException.class);
            long closing = System.nanoTime();
            t.close(); // does not wait for the stalled thread
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(1));
        } finally {
            card.release();
        }
    }

    @Test
    void readerErrorsKeepTheirType() {
        Transport gone = new Transport() {
            @Override
            public byte[] transceive(byte[] command) throws TransportException {
                throw new CardRemovedException("the card left the field");
            }

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> BoundedTransport.over(gone, Duration.ofSeconds(5)).transceive(Bytes.fromHex("00A4040000")))
                .isExactlyInstanceOf(CardRemovedException.class);
    }
}
