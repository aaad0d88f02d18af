package nfcpay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void theLineShowsTheFractionThePhaseAndWhatIsLeft() {
        String line = ProgressBar.line("SMART_ANY", 50, 100, 30);
        assertThat(line).startsWith("[" + "#".repeat(15) + ".".repeat(15) + "]").contains(" 50%", "SMART_ANY", "eta 30s");
        assertThat(ProgressBar.line("done", 100, 100, 90)).contains("100%").doesNotContain("eta");
        assertThat(ProgressBar.duration(125)).isEqualTo("2m05s");
    }

    @Test
    void theBarRedrawsOneLineAndEndsItWhenFinished() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.progress("a", 1, 10);
        bar.progress("a", 10, 10);
        bar.finished();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\r[").endsWith(System.lineSeparator()).contains("100%");
        assertThat(text.chars().filter(c -> c == '\n').count()).as("line ends").isEqualTo(1);
        assertThat(text.split("\r", -1)).hasSize(3); // drawn twice on the same line
    }

    @Test
    void withoutABarEachPhaseAndEachTenthIsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener lines = new ProgressBar.PhaseLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines.progress("strategies: holder 1 of 3", 0, 100);
        lines.progress("strategies: holder 2 of 3", 5, 100);
        lines.progress("strategies: holder 3 of 3", 12, 100);
        lines.progress("strategies: holder 3 of 3", 13, 100);
        lines.progress("scaling", 14, 100);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("bench: strategies: holder 1 of 3 (0%)",
                "bench: strategies: holder 3 of 3 (12%)", "bench: scaling (14%)");
    }
}
