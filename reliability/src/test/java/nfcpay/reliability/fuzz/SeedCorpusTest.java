package nfcpay.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import nfcpay.reliability.sim.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed seed corpus is what {@link Seeds} generates, so the binary files stay reviewable as
 * code. {@code -Dnfcpay.fuzz.writeSeeds=true} rewrites them. Each seed also runs clean through its target
 * here, so a seed that stopped meaning what it says fails with a readable message.
 */
class SeedCorpusTest {

    private static final Path RESOURCES = Path.of("src", "test", "resources", "nfcpay", "reliability", "fuzz");

    static Stream<Arguments> seeds() {
        return Stream.of(
                Map.entry("PurseFuzzTestInputs/purse", Seeds.purse()),
                Map.entry("PurseFuzzTestInputs/blankPurse", Seeds.blankPurse()),
                Map.entry("SelectorFuzzTestInputs/ppse", Seeds.ppse()))
                .flatMap(dir -> dir.getValue().entrySet().stream()
                        .map(seed -> Arguments.of(dir.getKey(), seed.getKey(), seed.getValue())));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("seeds")
    void theCommittedSeedIsTheGeneratedOneAndRunsClean(String directory, String name, byte[] bytes) throws IOException {
        Path file = RESOURCES.resolve(directory).resolve(name);
        if (Boolean.getBoolean("nfcpay.fuzz.writeSeeds")) {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }
        assertThat(file).exists();
        assertThat(Bytes.hex(Files.readAllBytes(file))).isEqualTo(Bytes.hex(bytes));
        switch (directory) {
            case "PurseFuzzTestInputs/purse" -> FuzzSims.purse(bytes);
            case "PurseFuzzTestInputs/blankPurse" -> FuzzSims.blankPurse(bytes);
            default -> FuzzSims.ppse(bytes);
        }
    }
}
