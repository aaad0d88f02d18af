package nfcpay.sim.cref;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Oracle's Java Card SDK as the reference-VM tests find it: {@code NFCPAY_CREF} (the 3.0.5 kit's cref), the card
 * module's converter output {@code card/target/cap}, and for the test-only applet {@code JC_HOME} (the 3.2 tools
 * kit). Without them the tests skip in one line, unless {@value #REQUIRE_VARIABLE}=1: then they fail, so that CI
 * cannot pass by skipping. Nothing of the SDK is on any class path: its tools run as child processes.
 */
public final class JavaCardSdk {

    public static final String REQUIRE_VARIABLE = "NFCPAY_REQUIRE_JCSDK";
    /** The card module's CAP files, seen from the sim module (failsafe runs in the module's folder). */
    public static final Path CARD_CAPS = Path.of("..", "card", "target", "cap");

    private JavaCardSdk() {
    }

    /** The reference VM, or the calling test skipped (failed under {@value #REQUIRE_VARIABLE}=1). */
    public static Path crefOrSkip() {
        Path cref = CrefPlatform.crefFromEnvironment().orElse(null);
        if (cref == null) {
            unavailable(CrefPlatform.CREF_VARIABLE + " is not set (point it at jc305u4_kit/bin/cref_tdual.exe)");
        } else if (!Files.isRegularFile(cref)) {
            unavailable(CrefPlatform.CREF_VARIABLE + "=" + cref + " is not a file");
        }
        return cref;
    }

    /** {@code JC_HOME} or {@code -Djc.home}: the Java Card Development Kit tools 3.2. */
    public static Path jcHomeOrSkip() {
        String home = System.getProperty("jc.home", System.getenv("JC_HOME"));
        if (home == null || home.isBlank()) {
            unavailable("JC_HOME is not set (point it at the jc320v25.1_kit of the Java Card Development Kit tools)");
        }
        Path path = Path.of(home);
        if (!Files.isRegularFile(path.resolve("lib").resolve("tools.jar"))) {
            unavailable("JC_HOME=" + home + " has no lib/tools.jar");
        }
        return path;
    }

    /** The folder of the card module's CAP files, or the calling test skipped when there are none. */
    public static Path cardCapsOrSkip() {
        try (Stream<Path> files = Files.exists(CARD_CAPS) ? Files.walk(CARD_CAPS) : Stream.empty()) {
            if (files.noneMatch(p -> p.toString().endsWith(".cap"))) {
                unavailable("no CAP files in " + CARD_CAPS.toAbsolutePath().normalize()
                        + " (build the card module with JC_HOME set)");
            }
        } catch (IOException e) {
            unavailable("cannot read " + CARD_CAPS + ": " + e.getMessage());
        }
        return CARD_CAPS;
    }

    public static void unavailable(String what) {
        if ("1".equals(System.getenv(REQUIRE_VARIABLE))) {
            fail("reference-VM tests cannot run: " + what + " (" + REQUIRE_VARIABLE + "=1: the SDK is required here)");
        }
        String reason = "reference-VM tests skipped: " + what;
        System.out.println(reason); // the console shows only a count of skipped tests
        assumeTrue(false, reason);
    }

    /**
     * Compiles the test-only {@code sources} (package {@code packageName}, under src/test/java) for Java 8 against
     * the test class path (jcardsim's Java Card API) and converts them with the 3.2 kit's converter into a CAP file
     * under {@code out}, target 3.0.5. Returns the folder holding the CAP.
     */
    public static Path convert(Path jcHome, Path out, String packageName, String packageAid, String appletClass,
            String appletAid) throws IOException, InterruptedException {
        return convert(jcHome, out, packageName, packageAid, appletClass, appletAid, List.of());
    }

    /**
     * {@link #convert(Path, Path, String, String, String, String)} for a package that imports others (the card
     * module's, say): their export files are found under {@code exportPath} (the converter's -exportpath).
     */
    public static Path convert(Path jcHome, Path out, String packageName, String packageAid, String appletClass,
            String appletAid, List<Path> exportPath) throws IOException, InterruptedException {
        Path classes = out.resolve("classes");
        Files.createDirectories(classes);
        Path sourceDir = Path.of("src", "test", "java", packageName.replace('.', '/'));
        List<String> args = new ArrayList<>(List.of("--release", "8", "-Xlint:-options", "-nowarn", "-d",
                classes.toString(), "-cp", System.getProperty("java.class.path")));
        try (Stream<Path> sources = Files.list(sourceDir)) {
            sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IOException("javac failed on " + sourceDir);
        }
        Path caps = out.resolve("cap");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator, jcHome.resolve("lib/tools.jar").toString(),
                jcHome.resolve("lib/json.jar").toString(), jcHome.resolve("lib/jctasks_tools.jar").toString(),
                jcHome.resolve("lib/commons-cli-1.9.0.jar").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, "com.sun.javacard.converter.Main",
                "-nobanner", "-classdir", classes.toString(), "-d", caps.toString(), "-out", "CAP", "EXP", "JCA",
                "-target", "3.0.5"));
        if (!exportPath.isEmpty()) {
            command.add("-exportpath");
            command.add(String.join(File.pathSeparator, exportPath.stream().map(Path::toString).toList()));
        }
        command.addAll(List.of("-applet", colonHex(appletAid), appletClass, packageName, colonHex(packageAid), "1.0"));
        Process converter = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(out.resolve("converter.log").toFile()).start();
        try {
            if (!converter.waitFor(120, TimeUnit.SECONDS) || converter.exitValue() != 0) {
                throw new IOException("the converter failed: " + Files.readString(out.resolve("converter.log")));
            }
        } finally {
            converter.destroyForcibly();
        }
        return caps;
    }

    private static String colonHex(String hex) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            s.append(i == 0 ? "" : ":").append("0x").append(hex, i, i + 2);
        }
        return s.toString();
    }
}
