package nfcpay.sim.cref;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A CAP file as the Java Card converter writes it (JCVM specification 3.0.5 chapter 6): a zip of one
 * {@code <package path>/javacard/<Component>.cap} entry per component, each {@code tag | size (2) | info}, and a
 * manifest naming the package and its applets.
 */
public final class CapFile {

    /** Component tags, JCVM 3.0.5 table 6-1. */
    static final int HEADER = 1;
    static final int DIRECTORY = 2;
    static final int APPLET = 3;
    static final int IMPORT = 4;
    static final int CONSTANT_POOL = 5;
    static final int CLASS = 6;
    static final int METHOD = 7;
    static final int STATIC_FIELD = 8;
    static final int REFERENCE_LOCATION = 9;
    static final int EXPORT = 10;
    static final int DESCRIPTOR = 11;
    static final int DEBUG = 12;

    private static final String[] NAMES = {null, "Header", "Directory", "Applet", "Import", "ConstantPool", "Class",
        "Method", "StaticField", "RefLocation", "Export", "Descriptor", "Debug"};
    private static final int MAGIC = 0xDECAFFED;
    /** Header flags, JCVM 6.4 table 6-3. */
    private static final int ACC_EXPORT = 0x02;
    private static final int ACC_APPLET = 0x04;

    /** An applet the package defines: its class AID and, when the manifest says, its class's simple name. */
    public record Applet(byte[] aid, String className) {
        @Override
        public String toString() {
            return className + " " + HexFormat.of().withUpperCase().formatHex(aid);
        }
    }

    private final Path path;
    private final Map<Integer, byte[]> components;
    private final String packageName;
    private final byte[] packageAid;
    private final int flags;
    private final List<byte[]> imports;
    private final List<Applet> applets;

    private CapFile(Path path, Map<Integer, byte[]> components, Manifest manifest, String packageName) throws IOException {
        this.path = path;
        this.components = components;
        byte[] header = component(HEADER).orElseThrow(() -> malformed("it has no Header component"));
        if (header.length < 13 || readInt(header, 3) != MAGIC) {
            throw malformed("its Header component does not begin with the magic DECAFFED");
        }
        this.flags = header[9] & 0xFF;
        int aidLength = header[12] & 0xFF;
        if (header.length < 13 + aidLength) {
            throw malformed("its Header component is cut short");
        }
        this.packageAid = Arrays.copyOfRange(header, 13, 13 + aidLength);
        this.packageName = packageName;
        this.imports = readImports();
        this.applets = readApplets(manifest);
    }

    /** Reads the CAP file at {@code path}. */
    public static CapFile read(Path path) throws IOException {
        Map<Integer, byte[]> components = new LinkedHashMap<>();
        Manifest manifest = null;
        String componentDirectory = null;
        try (InputStream file = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(file)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                byte[] bytes = zip.readAllBytes();
                if (name.equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(new ByteArrayInputStream(bytes));
                    continue;
                }
                int tag = tagOf(name);
                if (tag == 0) {
                    continue;
                }
                String directory = name.substring(0, name.lastIndexOf('/') + 1);
                if (componentDirectory == null) {
                    componentDirectory = directory;
                } else if (!componentDirectory.equals(directory)) {
                    throw new IOException(path + " is not a CAP file of one package: components in " + componentDirectory
                            + " and " + directory);
                }
                if (bytes.length < 3 || (bytes[0] & 0xFF) != tag || readShort(bytes, 1) != bytes.length - 3) {
                    throw new IOException(path + " is not a valid CAP file: " + name + " does not begin with tag " + tag
                            + " and its size");
                }
                if (components.put(tag, bytes) != null) {
                    throw new IOException(path + " is not a valid CAP file: two " + NAMES[tag] + " components");
                }
            }
        }
        if (components.isEmpty()) {
            throw new IOException(path + " is not a CAP file: it holds no */javacard/*.cap component");
        }
        if (manifest == null) {
            manifest = new Manifest();
        }
        String packageName = manifest.getMainAttributes().getValue("Java-Card-Package-Name");
        if (packageName == null) {
            // The converter's layout: <package path>/javacard/<Component>.cap
            String folder = componentDirectory.replaceFirst("/?javacard/$", "");
            packageName = folder.replace('/', '.');
        }
        return new CapFile(path, components, manifest, packageName);
    }

    private static int tagOf(String entryName) {
        if (!entryName.endsWith(".cap")) {
            return 0;
        }
        String simple = entryName.substring(entryName.lastIndexOf('/') + 1, entryName.length() - 4);
        for (int tag = 1; tag < NAMES.length; tag++) {
            if (NAMES[tag].equalsIgnoreCase(simple)) {
                return tag;
            }
        }
        return 0;
    }

    /** The Import component: one {@code minor | major | AID length | AID} per imported package. */
    private List<byte[]> readImports() throws IOException {
        List<byte[]> result = new ArrayList<>();
        Optional<byte[]> component = component(IMPORT);
        if (component.isEmpty()) {
            return result;
        }
        byte[] info = component.get();
        int count = info[3] & 0xFF;
        int at = 4;
        for (int i = 0; i < count; i++) {
            if (at + 3 > info.length || at + 3 + (info[at + 2] & 0xFF) > info.length) {
                throw malformed("its Import component is cut short");
            }
            int length = info[at + 2] & 0xFF;
            result.add(Arrays.copyOfRange(info, at + 3, at + 3 + length));
            at += 3 + length;
        }
        return result;
    }

    /**
     * The Applet component: one {@code AID length | AID | install method offset (2)} per applet. Names come from the
     * manifest's {@code Java-Card-Applet-n-Name} / {@code -AID} pairs, which the Oracle converter writes.
     */
    private List<Applet> readApplets(Manifest manifest) throws IOException {
        List<Applet> result = new ArrayList<>();
        Optional<byte[]> component = component(APPLET);
        if (component.isEmpty()) {
            return result;
        }
        byte[] info = component.get();
        int count = info[3] & 0xFF;
        int at = 4;
        for (int i = 0; i < count; i++) {
            if (at >= info.length || at + 1 + (info[at] & 0xFF) + 2 > info.length) {
                throw malformed("its Applet component is cut short");
            }
            int length = info[at] & 0xFF;
            byte[] aid = Arrays.copyOfRange(info, at + 1, at + 1 + length);
            result.add(new Applet(aid, appletName(manifest, aid)));
            at += 1 + length + 2;
        }
        return result;
    }

    private static String appletName(Manifest manifest, byte[] aid) {
        for (int n = 1; ; n++) {
            String manifestAid = manifest.getMainAttributes().getValue("Java-Card-Applet-" + n + "-AID");
            if (manifestAid == null) {
                return null;
            }
            if (Arrays.equals(parseColonHex(manifestAid), aid)) {
                return manifest.getMainAttributes().getValue("Java-Card-Applet-" + n + "-Name");
            }
        }
    }

    /** {@code 0xf0:0x00:...}, as the manifest writes AIDs. */
    private static byte[] parseColonHex(String text) {
        String[] parts = text.trim().split(":");
        byte[] bytes = new byte[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i].trim().toLowerCase(Locale.ROOT).replace("0x", ""), 16);
            }
        } catch (NumberFormatException e) {
            return new byte[0];
        }
        return bytes;
    }

    private IOException malformed(String why) {
        return new IOException(path + " is not a valid CAP file: " + why);
    }

    private static int readShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int at) {
        return (readShort(b, at) << 16) | readShort(b, at + 2);
    }

    public Path path() {
        return path;
    }

    /** The package's name, from the manifest or else the components' folder. */
    public String packageName() {
        return packageName;
    }

    public byte[] packageAid() {
        return packageAid.clone();
    }

    /** The AIDs of the packages this one imports, the Java Card API's included. */
    public List<byte[]> imports() {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] aid : imports) {
            copy.add(aid.clone());
        }
        return copy;
    }

    public List<Applet> applets() {
        return List.copyOf(applets);
    }

    /** The applet whose class has the simple name {@code className}, or the package's only applet. */
    public Optional<Applet> applet(String className) {
        for (Applet a : applets) {
            if (className.equals(a.className())) {
                return Optional.of(a);
            }
        }
        if (applets.size() == 1 && applets.get(0).className() == null) {
            return Optional.of(applets.get(0));
        }
        return Optional.empty();
    }

    /** The whole component, tag and size included, as the installer takes it. */
    Optional<byte[]> component(int tag) {
        byte[] bytes = components.get(tag);
        return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    boolean hasApplets() {
        return (flags & ACC_APPLET) != 0;
    }

    boolean exports() {
        return (flags & ACC_EXPORT) != 0;
    }

    static String componentName(int tag) {
        return NAMES[tag];
    }

    /** The size of the components the installer takes (no Descriptor, no Debug): about what the card stores. */
    public int loadSize() {
        int size = 0;
        for (int tag : CapLoader.LOAD_ORDER) {
            byte[] c = components.get(tag);
            size += c == null ? 0 : c.length;
        }
        return size;
    }

    @Override
    public String toString() {
        return packageName + " " + HexFormat.of().withUpperCase().formatHex(packageAid) + " (" + path + ")";
    }
}
