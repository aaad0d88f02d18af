package nfcpay.sim.cref;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * Loads CAP files and creates applets through the on-card installer of the Java Card reference implementation,
 * with the APDUs its {@code scriptgen} writes (learned from the 3.0.5 kit's output):
 *
 * <pre>
 * 00 A4 04 00 09 A00000006203010801        SELECT the installer
 * 80 B0 00 00 7F                          CAP begin
 * 80 B2 tag 00 7F                         component begin      } for each component in
 * 80 B4 tag 00 Lc (up to 32 bytes) 7F     component data, ...  } {@link #LOAD_ORDER}: the component
 * 80 BC tag 00 7F                         component end        } whole, tag and size included
 * 80 BA 00 00 7F                          CAP end
 * 80 B8 00 00 Lc Lclass class AID | Lp parameters 7F      create applet, answered by the instance AID
 * 80 C4 01 00 Lc Laid instance AID 7F                     delete applets (P1 how many), the package stays
 * </pre>
 *
 * The installer takes neither the Descriptor nor the Debug component. Every command must answer 9000; anything
 * else is a {@link CrefException} naming the step and the status word.
 */
final class CapLoader {

    /** The reference implementation's installer applet. */
    static final byte[] INSTALLER_AID = HexFormat.of().parseHex("A00000006203010801");
    /** JCVM 3.0.5 6.2: the order a card takes the components in; Applet and Export only when the package has them. */
    static final int[] LOAD_ORDER = {CapFile.HEADER, CapFile.DIRECTORY, CapFile.IMPORT, CapFile.APPLET, CapFile.CLASS,
        CapFile.METHOD, CapFile.STATIC_FIELD, CapFile.EXPORT, CapFile.CONSTANT_POOL, CapFile.REFERENCE_LOCATION};
    /** Component data per APDU, as scriptgen writes it. */
    static final int CHUNK = 32;
    private static final int CLA = 0x80;
    private static final int INS_CAP_BEGIN = 0xB0;
    private static final int INS_CAP_END = 0xBA;
    private static final int INS_COMPONENT_BEGIN = 0xB2;
    private static final int INS_COMPONENT_DATA = 0xB4;
    private static final int INS_COMPONENT_END = 0xBC;
    private static final int INS_CREATE_APPLET = 0xB8;
    /** The RI's "Delete Applets": P1 the count (P1 00 is refused with 6A86), then length | AID of each instance. */
    private static final int INS_DELETE_APPLETS = 0xC4;
    /** The Le scriptgen puts on every installer command. */
    private static final int NE = 0x7F;

    private final Function<CommandAPDU, ResponseAPDU> card;

    CapLoader(Function<CommandAPDU, ResponseAPDU> card) {
        this.card = card;
    }

    void selectInstaller() {
        send(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, INSTALLER_AID, NE), "SELECT the installer");
    }

    /** Sends every component of {@code cap} the installer takes; the installer must be selected. */
    void load(CapFile cap) {
        String what = "loading " + cap.packageName();
        send(new CommandAPDU(CLA, INS_CAP_BEGIN, 0, 0, NE), what + ": CAP begin");
        for (int tag : LOAD_ORDER) {
            if ((tag == CapFile.APPLET && !cap.hasApplets()) || (tag == CapFile.EXPORT && !cap.exports())) {
                continue;
            }
            String name = CapFile.componentName(tag);
            byte[] component = cap.component(tag).orElseThrow(() -> new CrefException(
                    cap.path() + " lacks its " + name + " component, which the installer needs"));
            send(new CommandAPDU(CLA, INS_COMPONENT_BEGIN, tag, 0, NE), what + ": " + name + " begin");
            for (int at = 0; at < component.length; at += CHUNK) {
                byte[] chunk = Arrays.copyOfRange(component, at, Math.min(component.length, at + CHUNK));
                send(new CommandAPDU(CLA, INS_COMPONENT_DATA, tag, 0, chunk, NE),
                        what + ": " + name + " bytes " + at + ".." + (at + chunk.length));
            }
            send(new CommandAPDU(CLA, INS_COMPONENT_END, tag, 0, NE), what + ": " + name + " end");
        }
        send(new CommandAPDU(CLA, INS_CAP_END, 0, 0, NE), what + ": CAP end");
    }

    /**
     * Creates an instance of the applet class {@code classAid} with {@code parameters}, which the installer hands to
     * {@code install(bArray, bOffset, bLength)} as they are ({@code bArray} is the APDU buffer, {@code bOffset} points
     * just past the parameters' length byte). Returns the AID the applet registered.
     */
    byte[] create(byte[] classAid, byte[] parameters) {
        byte[] data = new byte[1 + classAid.length + 1 + parameters.length];
        data[0] = (byte) classAid.length;
        System.arraycopy(classAid, 0, data, 1, classAid.length);
        data[1 + classAid.length] = (byte) parameters.length;
        System.arraycopy(parameters, 0, data, 2 + classAid.length, parameters.length);
        if (data.length > 255) {
            throw new IllegalArgumentException("create applet data of " + data.length + " bytes does not fit a short APDU");
        }
        try {
            return send(new CommandAPDU(CLA, INS_CREATE_APPLET, 0, 0, data, NE),
                    "creating applet " + HexFormat.of().withUpperCase().formatHex(classAid)).getData();
        } finally {
            Arrays.fill(data, (byte) 0); // the parameters may carry a PIN
        }
    }

    /** Deletes the applet instance {@code aid}; the installer must be selected. */
    void delete(byte[] aid) {
        byte[] data = new byte[1 + aid.length];
        data[0] = (byte) aid.length;
        System.arraycopy(aid, 0, data, 1, aid.length);
        send(new CommandAPDU(CLA, INS_DELETE_APPLETS, 1, 0, data, NE),
                "deleting applet " + HexFormat.of().withUpperCase().formatHex(aid));
    }

    private ResponseAPDU send(CommandAPDU command, String what) {
        ResponseAPDU response = card.apply(command);
        if (response.getSW() != 0x9000) {
            throw new CrefException("cref's installer refused " + what + ": SW "
                    + String.format("%04X", response.getSW()));
        }
        return response;
    }
}
