package nfcpay.sim.pcsc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsoleControlTest {

    private FakeVpcd vpcd;
    private VpcdCard card;

    private VpcdCard startedCard() throws Exception {
        vpcd = new FakeVpcd();
        card = new VpcdCard(new CardSimulatorHandler(TestCards.counterCard()), vpcd.address(), l -> {})
                .hangUpGrace(Duration.ofMillis(100))
                .start();
        vpcd.accept().atr();
        assertThat(card.awaitState(VpcdCard.State.CONNECTED, Duration.ofSeconds(5))).isTrue();
        return card;
    }

    @AfterEach
    void stop() throws Exception {
        if (vpcd != null) {
            vpcd.close(); // first: a card still connected would wait for a presence poll that never comes
        }
        if (card != null) {
            card.close();
        }
    }

    @Test
    void removeInsertAndToggleChangePresence() throws Exception {
        ConsoleControl console = new ConsoleControl(startedCard(), new StringReader(""), System.out);
        assertThat(console.execute(" Remove ")).startsWith("removed");
        assertThat(card.isInserted()).isFalse();
        assertThat(console.execute("insert")).startsWith("inserted");
        assertThat(card.isInserted()).isTrue();
        assertThat(console.execute("toggle")).startsWith("removed");
        assertThat(console.execute("status")).startsWith("removed").contains("the vpcd reader on port " + vpcd.port());
        assertThat(console.execute("eject")).startsWith("unknown command 'eject'").contains(ConsoleControl.HELP);
        assertThat(console.execute("")).isEmpty();
    }

    @Test
    void endOfInputLeavesTheCardServingAndQuitStopsIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        new ConsoleControl(startedCard(), new StringReader("status\n"), print).run();
        assertThat(card.state()).isEqualTo(VpcdCard.State.CONNECTED);

        new ConsoleControl(card, new StringReader("quit\nremove\n"), print).run();
        assertThat(card.state()).isEqualTo(VpcdCard.State.STOPPED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("inserted (connected", "stopped").doesNotContain("removed");
    }
}
