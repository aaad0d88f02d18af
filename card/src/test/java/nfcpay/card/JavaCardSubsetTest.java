package nfcpay.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;

import nfcpay.card.subset.JavaCardSubsetChecker;
import nfcpay.card.subset.JavaCardSubsetChecker.Violation;

/**
 * The build's stand-in for the Java Card converter (docs/architecture.md): every class the card module
 * compiles must stay inside the Java Card 3.0.5 classic subset, or the build fails with the list.
 */
class JavaCardSubsetTest {

    @Test
    void everyCardClassStaysInsideTheJavaCardClassicSubset() throws Exception {
        // The main output directory (card/target/classes), found from a card class rather than the
        // working directory so the test does not depend on where it is run from.
        Path classes = Path.of(Wire.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes).exists();
        assertThat(Files.exists(classes.resolve("nfcpay/card/Wire.class")) || Files.isRegularFile(classes))
            .as("%s holds the compiled card classes", classes).isTrue();

        List<ClassNode> cardClasses = JavaCardSubsetChecker.readClasses(classes);
        assertThat(cardClasses).extracting(c -> c.name)
            .as("the scan reached the card classes in %s", classes)
            .contains("nfcpay/card/Wire", "nfcpay/card/link/Link",
                "nfcpay/card/link/SelectorRegistry", "nfcpay/card/link/AccountInfoSource")
            .noneMatch(name -> name.endsWith("Test") || name.startsWith("nfcpay/card/subset/"));

        List<Violation> violations = new JavaCardSubsetChecker(getClass().getClassLoader()).check(cardClasses);

        assertThat(violations)
            .withFailMessage(() -> "Card code leaves the Java Card 3.0.5 classic subset (" + violations.size()
                + " violation(s) in " + classes + "):\n  "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  ")))
            .isEmpty();
    }
}
