package nfcpay.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.cref.CrefPlatform;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What a simulated SIM runs on: jcardsim in this process (the default), or Oracle's Java Card 3.0.5 reference VM
 * ({@code cref}, under Wine), which runs the CAP files Oracle's converter made with a firewall, transactions and
 * memory limits (docs/card.md). The reference VM needs {@code NFCPAY_CREF} (the 3.0.5 kit's {@code bin/cref_tdual.exe})
 * and the CAP files of a build with {@code JC_HOME} set ({@code card/target/cap}, or {@code NFCPAY_CAP_DIR}).
 */
enum SimPlatform {
    JCARDSIM, CREF;

    static final String CAP_DIR_VARIABLE = "NFCPAY_CAP_DIR";

    /** The SIM of {@code builder} on this platform; on the reference VM the command's end stops cref ({@code root}). */
    SimulatedSim build(SimulatedSim.Builder builder, NfcpayCommand root) {
        if (this == JCARDSIM) {
            return builder.build();
        }
        Map<String, String> env = root.environment().variables();
        String exe = env.get(CrefPlatform.CREF_VARIABLE);
        if (exe == null || exe.isBlank()) {
            throw new SimPlatformException("--platform cref needs " + CrefPlatform.CREF_VARIABLE
                    + " set to the Java Card 3.0.5 kit's bin/cref_tdual.exe (docs/card.md)");
        }
        if (!Files.isRegularFile(Path.of(exe))) {
            throw new SimPlatformException(CrefPlatform.CREF_VARIABLE + "=" + exe + " is not a file (the Java Card 3.0.5"
                    + " kit's bin/cref_tdual.exe, docs/card.md)");
        }
        Path caps = capDirectory(env);
        if (!hasCapFiles(caps)) {
            throw new SimPlatformException("no CAP files under " + caps + ": build them with JC_HOME set to the Java Card"
                    + " tools 3.2 kit (JC_HOME=... mvn -B -DskipTests package; docs/card.md)");
        }
        SimulatedSim sim = builder.build(CrefPlatform.start(Path.of(exe), List.of(caps)));
        root.closeAtEnd(sim);
        return sim;
    }

    /** {@code NFCPAY_CAP_DIR}, else {@code card/target/cap} of the checkout this program runs from. */
    static Path capDirectory(Map<String, String> env) {
        String dir = env.get(CAP_DIR_VARIABLE);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        try {
            // cli/target/nfcpay.jar (or cli/target/classes): the checkout is two levels up.
            Path code = Path.of(SimPlatform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().getParent().getParent().resolve("card/target/cap");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("card/target/cap");
        }
    }

    private static boolean hasCapFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.walk(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".cap"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The option as people write it. */
    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A platform that cannot be used as asked: one line for the person at the command line. */
    static final class SimPlatformException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimPlatformException(String message) {
            super(message);
        }
    }

    /** picocli's hook for --platform. */
    static final class Converter implements ITypeConverter<SimPlatform> {
        @Override
        public SimPlatform convert(String value) {
            for (SimPlatform p : values()) {
                if (p.optionValue().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
            throw new TypeConversionException("unknown platform '" + value + "' (jcardsim or cref)");
        }
    }
}
