package nfcpay.reliability.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;

/**
 * Loads the card classes ({@code nfcpay.card.**}, and the test applets of {@code nfcpay.reliability.applets.**})
 * child-first, instrumented by {@link Instrumenter}, optionally with {@link Mutation}s; everything else
 * (the Java Card API of jcardsim, the JDK, this runtime) comes from the parent. The card classes and the
 * in-card interfaces between them ({@code nfcpay.card.link}) therefore share one loader, as the applets of
 * one card share one runtime.
 */
public final class CardClassLoader extends ClassLoader {

    /** Package prefixes loaded (and instrumented) here. */
    public static final List<String> CARD_PACKAGES = List.of("nfcpay.card.", "nfcpay.reliability.applets.");

    private static final CardClassLoader GENUINE = new CardClassLoader(List.of());

    static {
        registerAsParallelCapable();
    }

    private final List<Mutation> mutations;
    private final Instrumenter.Counts counts = new Instrumenter.Counts();

    private CardClassLoader(List<Mutation> mutations) {
        super("nfcpay-card", CardClassLoader.class.getClassLoader());
        this.mutations = List.copyOf(mutations);
    }

    /** The loader of the applets as written, shared by every simulated card of the JVM. */
    public static CardClassLoader genuine() {
        return GENUINE;
    }

    /** A new loader whose classes carry {@code mutations} (see {@link Mutation}). */
    public static CardClassLoader mutant(Mutation... mutations) {
        return new CardClassLoader(List.of(mutations));
    }

    public List<Mutation> mutations() {
        return mutations;
    }

    /** Barriers inserted into the classes loaded so far. */
    public String instrumentationCounts() {
        return counts.toString();
    }

    static boolean isCardClass(String name) {
        for (String prefix : CARD_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The class {@code name} as this loader defines it. */
    public Class<?> cardClass(String name) {
        try {
            return loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no card class " + name, e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isCardClass(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                byte[] bytes = instrument(name, original(name));
                loaded = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private byte[] original(String name) throws ClassNotFoundException {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] instrument(String name, byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        for (Mutation mutation : mutations) {
            if (mutation.className().equals(name)) {
                mutation.applyTo(node);
            }
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        node.accept(new Instrumenter(writer, counts));
        return writer.toByteArray();
    }
}
