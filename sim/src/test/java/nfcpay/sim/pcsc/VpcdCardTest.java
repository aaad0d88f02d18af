package nfcpay.sim.pcsc;

import static nfcpay.sim.pcsc.TestCards.INCREMENT;
import static nfcpay.sim.pcsc.TestCards.SELECT_COUNTER;
import static nfcpay.sim.pcsc.TestCards.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vpcd protocol, resets, reconnection and presence, against a fake vpcd (no pcscd needed). */
class VpcdCardTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofMillis(200);

    private final List<String> log = new CopyOnWriteArrayList<>();
    private FakeVpcd vpcd;
    private VpcdCard card;

    private FakeVpcd startCard(ApduHandler handler) throws IOException {
        vpcd = new FakeVpcd();
        card = new VpcdCard(handler, vpcd.address(), log::add).hangUpGrace(GRACE).start();
        return vpcd.accept();
    }

    private FakeVpcd startCounterCard() throws IOException {
        return startCard(new CardSimulatorHandler(TestCards.counterCard()));
    }

    @AfterEach
    void stop() throws IOException {
        if (vpcd != null) {
            vpcd.close(); // first: a card still connected would wait for a presence poll that never comes
        }
        if (card != null) {
            card.close();
        }
    }

    private String send(String apdu) throws IOException {
        return hex(vpcd.transmit(hex(apdu)));
    }

    @Test
    void answersGetAtrWithTheCardsAtrAndCountsAsConnectedFromTheFirstPoll() throws Exception {
        CardSimulator simulator = TestCards.counterCard();
        startCard(new CardSimulatorHandler(simulator));
        assertThat(card.state()).isEqualTo(VpcdCard.State.CONNECTING);

        assertThat(vpcd.atr()).isEqualTo(simulator.getATR()).isNotEmpty();

        assertThat(card.awaitState(VpcdCard.State.CONNECTED, WAIT)).isTrue();
        assertThat(card.connectionCount()).isEqualTo(1);
        assertThat(log).anyMatch(l -> l.contains("card is in reader"));
    }

    @Test
    void carriesApdusBothWaysAndCountsThem() throws Exception {
        startCounterCard();
        assertThat(send(SELECT_COUNTER)).isEqualTo("9000");
        assertThat(send(INCREMENT)).isEqualTo("000100019000");
        assertThat(send("8020000003AABBCC")).isEqualTo("AABBCC9000");
        assertThat(card.apduCount()).isEqualTo(3);
    }

    @Test
    void reassemblesAFrameWhoseLengthAndPayloadArriveSeparately() throws Exception {
        startCounterCard();
        assertThat(hex(vpcd.transmitSplit(hex(SELECT_COUNTER)))).isEqualTo("9000");
        assertThat(hex(vpcd.transmitSplit(hex(INCREMENT)))).isEqualTo("000100019000");
    }

    @Test
    void powerOffOnAndResetClearTransientStateAndKeepPersistentState() throws Exception {
        startCounterCard();
        send(SELECT_COUNTER);
        send(INCREMENT);
        assertThat(send(INCREMENT)).isEqualTo("000200029000");

        vpcd.control(VpcdSession.CTRL_POWER_OFF);
        vpcd.control(VpcdSession.CTRL_POWER_ON);
        assertThat(send(INCREMENT)).as("the applet is no longer selected").isEqualTo("6986");
        send(SELECT_COUNTER);
        assertThat(send(INCREMENT)).isEqualTo("000300019000");

        vpcd.control(VpcdSession.CTRL_RESET);
        send(SELECT_COUNTER);
        assertThat(send(INCREMENT)).isEqualTo("000400019000");
    }

    @Test
    void answersAOneByteCommandThatIsNoControlAtOnce() throws Exception {
        startCounterCard();
        assertThat(send("80")).isEqualTo("6700");
        assertThat(send("03")).isEqualTo("6700");
        assertThat(send(SELECT_COUNTER)).isEqualTo("9000");
        assertThat(card.apduCount()).isEqualTo(3);
    }

    @Test
    void answersAOneByteCommandThatLooksLikeAControlWhenVpcdWaitsForAnAnswer() throws Exception {
        vpcd = new FakeVpcd();
        card = new VpcdCard(new CardSimulatorHandler(TestCards.counterCard()), vpcd.address(), log::add)
                .ambiguousControlTimeout(Duration.ofMillis(100))
                .start();
        vpcd.accept();
        // "02" as a C-APDU: vpcd sends exactly what it sends for a reset, then waits
        assertThat(hex(vpcd.transmit(hex("02")))).isEqualTo("6700");
        assertThat(send(SELECT_COUNTER)).isEqualTo("9000");
        assertThat(log).anyMatch(l -> l.contains("taken as a malformed 1-byte command"));
    }

    @Test
    void sendsNothingAfterAPowerControlThatVpcdFollowsUp() throws Exception {
        startCounterCard();
        vpcd.control(VpcdSession.CTRL_POWER_ON);
        assertThat(vpcd.atr()).as("the next frame read is the ATR, not a stray status word").hasSize(20);
        vpcd.control(VpcdSession.CTRL_POWER_OFF);
        assertThat(send(SELECT_COUNTER)).isEqualTo("9000");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "80, 6700",                     // shorter than a header
        "8010, 6700",
        "801000, 6700",
        "80200000051122, 6700",         // Lc 5, 2 bytes of data
        "80200000021122334455, 6700",   // Lc 2, 5 bytes of data
        "802000000003, 6700",           // extended Lc cut short
        "8020000000000311, 6700",       // extended Lc 3, 1 byte of data
        "80200000000000AA, 6700",       // extended Lc 0 with data
        "FFCA000000, 6E00",             // PC/SC pseudo-APDU for the reader, never the card
        "80600000, 6D00",               // INS 6X is invalid
        "80940000, 6D00",               // INS 9X is invalid
    })
    void answersAMalformedCommandWithAStatusWordAndStaysUsable(String apdu, String sw) throws Exception {
        startCounterCard();
        send(SELECT_COUNTER);
        assertThat(send(apdu)).isEqualTo(sw);
        assertThat(send(INCREMENT)).as("the connection and the selection survive").isEqualTo("000100019000");
        assertThat(log).anyMatch(l -> l.contains("malformed command") && l.endsWith(sw));
    }

    @Test
    void passesWellFormedExtendedAndCase2CommandsToTheCard() throws Exception {
        startCounterCard();
        send(SELECT_COUNTER);
        // jcardsim answers 6700 itself for extended APDUs to an applet without ExtendedLength: the card decided
        assertThat(send("80200000000003AABBCC")).isEqualTo("6700");
        assertThat(send("8010000000")).isEqualTo("000100019000");
        assertThat(log).noneMatch(l -> l.contains("malformed"));
    }

    @Test
    void turnsAnExceptionFromTheCardIntoAStatusWordWithoutLoggingTheData() throws Exception {
        startCard(new StubHandler() {
            @Override
            public byte[] transmit(byte[] command) {
                throw new IllegalStateException("applet bug");
            }
        });
        assertThat(send("80CA00000411223344")).isEqualTo("6A80");
        assertThat(send("80CA0000")).as("still answering").isEqualTo("6A80");
        assertThat(log).anyMatch(l -> l.contains("80CA0000") && l.contains("applet bug"))
                .noneMatch(l -> l.contains("11223344"));
    }

    @Test
    void replacesAnAnswerWithoutAStatusWord() throws Exception {
        startCard(new StubHandler() {
            @Override
            public byte[] transmit(byte[] command) {
                return command[1] == 0x01 ? null : new byte[] {(byte) 0x90};
            }
        });
        assertThat(send("80010000")).isEqualTo("6A80");
        assertThat(send("80020000")).isEqualTo("6A80");
    }

    @Test
    void reconnectsWhenVpcdDropsTheConnectionAndKeepsTheCardsState() throws Exception {
        startCounterCard();
        send(SELECT_COUNTER);
        send(INCREMENT);
        vpcd.atr();

        vpcd.dropCard();
        vpcd.accept().atr();

        assertThat(card.awaitState(VpcdCard.State.CONNECTED, WAIT)).isTrue();
        assertThat(card.connectionCount()).isEqualTo(2);
        send(SELECT_COUNTER);
        assertThat(send(INCREMENT)).as("persistent count kept, transient count reset").isEqualTo("000200019000");
    }

    @Test
    void reconnectsAfterItsOwnSocketIsDropped() throws Exception {
        startCounterCard();
        vpcd.atr();
        card.dropConnection();
        assertThat(vpcd.cardHungUp()).isTrue();
        vpcd.accept().atr();
        assertThat(card.awaitState(VpcdCard.State.CONNECTED, WAIT)).isTrue();
        assertThat(card.connectionCount()).isEqualTo(2);
    }

    @Test
    void retriesWhileVpcdIsDownAndComesBackWithTheCardsState() throws Exception {
        startCounterCard();
        send(SELECT_COUNTER);
        send(INCREMENT);

        vpcd.stopListening(); // pcscd stopped: refused connections
        assertThat(card.awaitState(VpcdCard.State.CONNECTING, WAIT)).isTrue();
        Thread.sleep(300); // several refused attempts
        vpcd.listenAgain();
        vpcd.accept().atr();

        assertThat(card.awaitState(VpcdCard.State.CONNECTED, WAIT)).isTrue();
        send(SELECT_COUNTER);
        assertThat(send(INCREMENT)).isEqualTo("000200019000");
        assertThat(log).filteredOn(l -> l.contains("not reachable")).hasSize(1);
    }

    @Test
    void removalLeavesAtTheNextPresencePollAndStaysOutUntilInsertedAgain() throws Exception {
        startCounterCard();
        send(SELECT_COUNTER);
        send(INCREMENT);
        vpcd.atr();

        card.remove();
        assertThat(card.isInserted()).isFalse();
        assertThat(send(INCREMENT)).as("still in the field until the reader looks").isEqualTo("000200029000");
        assertThat(vpcd.pollFindsTheCardGone()).isTrue();
        assertThat(card.awaitState(VpcdCard.State.REMOVED, WAIT)).isTrue();
        assertThat(vpcd.acceptWithin(Duration.ofMillis(300))).as("no reconnection while removed").isFalse();

        card.insert();
        vpcd.accept().atr();
        assertThat(card.awaitState(VpcdCard.State.CONNECTED, WAIT)).isTrue();
        send(SELECT_COUNTER);
        assertThat(send(INCREMENT)).isEqualTo("000300019000");
    }

    @Test
    void removalHangsUpAfterTheGraceWhenVpcdDoesNotPoll() throws Exception {
        startCounterCard();
        vpcd.atr();
        card.remove();
        assertThat(vpcd.cardHungUp()).isTrue();
        assertThat(card.awaitState(VpcdCard.State.REMOVED, WAIT)).isTrue();
    }

    @Test
    void reinsertionBeforeThePollMeansTheCardNeverLeft() throws Exception {
        startCounterCard();
        vpcd.atr();
        card.remove();
        card.insert();
        assertThat(vpcd.pollFindsTheCardGone()).isFalse();
        Thread.sleep(GRACE.toMillis() * 2);
        assertThat(hex(vpcd.atr())).as("the grace timer did not hang up either").isNotEmpty();
        assertThat(card.connectionCount()).isEqualTo(1);
    }

    @Test
    void toggleAlternatesRemovalAndInsertion() throws Exception {
        startCounterCard();
        vpcd.atr();
        assertThat(card.toggle()).isFalse();
        assertThat(vpcd.pollFindsTheCardGone()).isTrue();
        assertThat(card.awaitState(VpcdCard.State.REMOVED, WAIT)).isTrue();
        assertThat(card.toggle()).isTrue();
        vpcd.accept().atr();
        assertThat(card.awaitState(VpcdCard.State.CONNECTED, WAIT)).isTrue();
    }

    @Test
    void closeHangsUpAndStopsForGood() throws Exception {
        startCounterCard();
        vpcd.atr();
        card.close();
        assertThat(card.state()).isEqualTo(VpcdCard.State.STOPPED);
        assertThat(vpcd.cardHungUp()).isTrue();
        card.insert();
        assertThat(vpcd.acceptWithin(Duration.ofMillis(200))).isFalse();
        card.close(); // idempotent
        card.awaitStopped();
    }

    @Test
    void closeWhileVpcdIsDownStopsTheRetries() throws Exception {
        vpcd = new FakeVpcd();
        vpcd.stopListening();
        card = new VpcdCard(new CardSimulatorHandler(TestCards.counterCard()), vpcd.address(), log::add).start();
        assertThat(card.awaitState(VpcdCard.State.CONNECTING, WAIT)).isTrue();
        card.close();
        assertThat(card.state()).isEqualTo(VpcdCard.State.STOPPED);
    }

    /** A card that only answers 9000; tests override transmit. */
    private static class StubHandler implements ApduHandler {
        @Override
        public byte[] atr() {
            return hex("3B00");
        }

        @Override
        public byte[] transmit(byte[] command) {
            return hex("9000");
        }

        @Override
        public void reset() {}
    }
}
