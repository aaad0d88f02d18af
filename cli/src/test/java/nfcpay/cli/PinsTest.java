package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import nfcpay.terminal.TerminalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a holder PIN comes from: file, else environment, else the terminal (System.console() is null under test). */
class PinsTest {

    @TempDir
    Path dir;

    /** A terminal that answers with these lines and remembers the questions and the arrays it handed out. */
    static final class Typist implements Pins.Prompt {
        final Deque<String> lines;
        final List<String> questions = new ArrayList<>();
        final List<char[]> handedOut = new ArrayList<>();

        Typist(String... lines) {
            this.lines = new ArrayDeque<>(List.of(lines));
        }

        @Override
        public char[] read(String prompt) {
            questions.add(prompt);
            if (lines.isEmpty()) {
                return null;
            }
            char[] line = lines.pop().toCharArray();
            handedOut.add(line);
            return line;
        }
    }

    @Test
    void aFileWinsOverTheEnvironmentWhichWinsOverThePrompt() throws Exception {
        Path file = Files.writeString(dir.resolve("pin"), "2468\n");
        Typist typist = new Typist("1357");
        Pins pins = new Pins(Map.of(Pins.NFCPAY_PIN, "8642"), typist);

        assertThat(pins.holderPin(file).digits()).containsExactly('2', '4', '6', '8');
        Pins.Pin fromEnv = pins.holderPin(null);
        assertThat(fromEnv.digits()).containsExactly('8', '6', '4', '2');
        assertThat(fromEnv.source()).isEqualTo("NFCPAY_PIN");
        assertThat(typist.questions).isEmpty();
        Pins.Pin typed = new Pins(Map.of(), typist).holderPin(null);
        assertThat(typed.digits()).containsExactly('1', '3', '5', '7');
        assertThat(typist.questions).containsExactly("Holder PIN: ");
    }

    @Test
    void aNewPinIsTypedTwiceAndTheCopiesAreWiped() throws TerminalException {
        Typist same = new Typist("97531", "97531");
        Pins.Pin pin = new Pins(Map.of(), same).newPin(null);

        assertThat(pin.digits()).containsExactly('9', '7', '5', '3', '1');
        assertThat(same.questions).containsExactly("New holder PIN: ", "Again: ");
        assertThat(same.handedOut.get(1)).as("the confirmation is wiped").containsOnly('\0');
        pin.wipe();
        assertThat(same.handedOut.get(0)).as("the PIN itself, by its owner").containsOnly('\0');

        Typist differ = new Typist("97531", "97532");
        assertThatThrownBy(() -> new Pins(Map.of(), differ).newPin(null))
                .hasMessage("the two new PINs differ: nothing changed");
        assertThat(differ.handedOut).allSatisfy(a -> assertThat(a).containsOnly('\0'));
    }

    @Test
    void endOfInputAndMalformedPinsAreErrorsThatWipe() {
        Typist typist = new Typist("12x4");

        assertThatThrownBy(() -> new Pins(Map.of(), typist).holderPin(null))
                .hasMessage("the holder PIN from the prompt is not 4 to 8 digits");
        assertThat(typist.handedOut.get(0)).containsOnly('\0');
        assertThatThrownBy(() -> new Pins(Map.of(), new Typist()).holderPin(null)).hasMessage("no PIN typed (end of input)");
        assertThatThrownBy(() -> new Pins(Map.of(Pins.NFCPAY_NEW_PIN, "123456789"), null).newPin(null))
                .hasMessage("the new holder PIN from NFCPAY_NEW_PIN is not 4 to 8 digits");
    }

    @Test
    void aFileHoldsThePinAloneOnOneLine() throws IOException, TerminalException {
        Pins pins = new Pins(Map.of(), null);

        assertThat(pins.holderPin(Files.writeString(dir.resolve("a"), "12345678")).digits()).hasSize(8);
        assertThat(pins.newPin(Files.writeString(dir.resolve("b"), "4321\r\n")).source()).isEqualTo("--new-pin-file "
                + dir.resolve("b"));
        Path twoLines = Files.writeString(dir.resolve("c"), "4321\n\n");
        assertThatThrownBy(() -> pins.holderPin(twoLines)).hasMessageContaining("must hold the PIN alone, on one line");
        Path empty = Files.writeString(dir.resolve("d"), "");
        assertThatThrownBy(() -> pins.holderPin(empty)).hasMessage("the holder PIN from --pin-file " + empty
                + " is not 4 to 8 digits");
    }
}
