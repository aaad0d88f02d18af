package nfcpay.sim;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import nfcpay.card.purse.PurseApplet;
import nfcpay.card.selector.SelectorApplet;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.sim.wallet.HolderSession;

/**
 * How a simulated SIM is put together, on any {@link CardPlatform}: the selector with its install parameters,
 * then each electronic purse installed, personalized ({@link Personalizer}) and loaded through the load
 * protocol ({@link IssuerLoader}), under the demo wallets' AIDs, serials and priorities. {@link SimulatedSim}
 * builds on jcardsim with it, the reliability module on its card with transactions and tearing, so that the
 * two SIMs are the same byte for byte.
 */
public final class SimAssembly {

    /** Demo wallet AIDs are F000000824 01 01 nn (PROTOCOL.md 3). */
    public static final String AID_PREFIX = "F0000008240101";

    /** "2PAY.SYS.DDF01", where the selector is installed; a fresh copy each call ({@link Link#writePpseAid}). */
    public static byte[] ppseAid() {
        byte[] aid = new byte[Link.PPSE_AID_LENGTH];
        Link.writePpseAid(aid, (short) 0);
        return aid;
    }

    /**
     * Whether {@code aid} is a valid place for the selector: 5 to 16 bytes (ISO/IEC 7816-5). Any such AID
     * will do; on a SIM whose contactless registry owns {@link #ppseAid()} the selector lives under its own
     * (docs/card.md "Living with a contactless registry (CRS)").
     */
    public static byte[] checkSelectorAid(byte[] aid) {
        if (aid == null || aid.length < 5 || aid.length > 16) {
            throw new IllegalArgumentException("a selector AID has 5 to 16 bytes");
        }
        return aid.clone();
    }

    /**
     * The selector part of a purse's install parameters on a SIM whose selector is installed under
     * {@code selectorAid}: none when it is the PPSE AID (the purse's default), else the selector's AID, so that the
     * purse registers with it and serves its account records to it alone. It follows the personalization key
     * ({@link Personalizer#installParameters}).
     */
    public static byte[] purseInstallParameters(byte[] selectorAid) {
        return Arrays.equals(selectorAid, ppseAid()) ? new byte[0] : selectorAid.clone();
    }

    private final Personalizer personalizer;
    private final IssuerLoader loader;
    private final byte[] selectorAid;

    /** Card keys diversified from {@code keys}; the initial loads dated by {@code clock}; the selector under the PPSE AID. */
    public SimAssembly(IssuerMasterKeys keys, Clock clock) {
        this(keys, clock, ppseAid());
    }

    /** As above, with the selector installed under {@code selectorAid} ({@link #checkSelectorAid}). */
    public SimAssembly(IssuerMasterKeys keys, Clock clock, byte[] selectorAid) {
        this(keys, new SimulatedIssuer(keys, IssuerLoader.loaderTerminalId()), clock, selectorAid);
    }

    /**
     * As above, with the opening balances authorized by {@code issuer} (the issuer host, so that its ledger
     * knows where every unit on a card came from) instead of the simulator's in-process issuer.
     */
    public SimAssembly(IssuerMasterKeys keys, LoadIssuer issuer, Clock clock, byte[] selectorAid) {
        this.personalizer = new Personalizer(keys);
        this.loader = new IssuerLoader(issuer, clock);
        this.selectorAid = checkSelectorAid(selectorAid);
    }

    /** Where this assembly installs the selector, and the purses look for it; a fresh copy. */
    public byte[] selectorAid() {
        return selectorAid.clone();
    }

    /** A purse to install: its label, the balance to load, and its account currency and maximum balance. */
    public record Purse(String label, long balanceMinor, Currency currency, long maxBalanceMinor) {}

    /**
     * Installs the selector under the PPSE AID with its install parameters (docs/protocol.md 2.1): flags
     * (legacy PPSE) | policy | the holder PIN's ASCII digits, none for the transport PIN. The parameters are
     * wiped afterwards; {@code holderPin} is the caller's.
     */
    public static void installSelector(CardPlatform card, boolean legacy, SelectionPolicy policy, byte[] holderPin) {
        installSelector(card, legacy, policy, holderPin, false);
    }

    /** As above; {@code cmacFromBlockCipher} sets {@link Wire#INSTALL_FLAG_SOFTWARE_CMAC}. */
    public static void installSelector(CardPlatform card, boolean legacy, SelectionPolicy policy, byte[] holderPin,
            boolean cmacFromBlockCipher) {
        installSelector(card, ppseAid(), legacy, policy, holderPin, cmacFromBlockCipher);
    }

    /** As above, under {@code selectorAid} instead of the PPSE AID. */
    public static void installSelector(CardPlatform card, byte[] selectorAid, boolean legacy, SelectionPolicy policy,
            byte[] holderPin, boolean cmacFromBlockCipher) {
        byte[] aid = checkSelectorAid(selectorAid);
        int pinLength = holderPin == null ? 0 : holderPin.length;
        byte[] params = new byte[2 + pinLength];
        params[0] = (byte) ((legacy ? Wire.INSTALL_FLAG_LEGACY : 0) | (cmacFromBlockCipher ? Wire.INSTALL_FLAG_SOFTWARE_CMAC : 0));
        params[1] = policy.installByte();
        if (holderPin != null) {
            System.arraycopy(holderPin, 0, params, 2, pinLength);
        }
        try {
            card.install(aid, SelectorApplet.class, params);
        } finally {
            Arrays.fill(params, (byte) 0);
        }
    }

    /**
     * Installs, personalizes and loads {@code purses} as the SIM's applications 1, 2, 3... with priorities
     * 1, 2, 3... ({@link #priority}), then resets the card. Returns them in that order.
     */
    public List<SimCard> installPurses(CardPlatform card, long simId, List<Purse> purses) {
        List<SimCard> installed = new ArrayList<>();
        for (int i = 0; i < purses.size(); i++) {
            Purse p = purses.get(i);
            SimCard sc = purse(simId, i + 1, priority(i + 1), p.label(), p.currency(), p.maxBalanceMinor());
            installPurse(card, sc, p.balanceMinor());
            installed.add(sc);
        }
        card.reset();
        return installed;
    }

    /**
     * Installs (with {@link #purseInstallParameters} for this assembly's selector), personalizes (which registers
     * it with the selector) and loads one purse; leaves it selected.
     */
    public void installPurse(CardPlatform card, SimCard purse, long balanceMinor) {
        byte[] params = personalizer.installParameters(purse, purseInstallParameters(selectorAid));
        try {
            card.install(purse.aid(), PurseApplet.class, params);
        } finally {
            Arrays.fill(params, (byte) 0);
        }
        CardApdus apdus = new CardApdus(card);
        apdus.select(purse.aid(), purse.label());
        personalizer.personalize(card::transmit, purse);
        if (balanceMinor > 0) {
            loader.load(apdus, purse, balanceMinor);
        }
    }

    /**
     * The holder's approval of new cards, the one place off the card where a SIM's assembly brings them into the
     * PPSE: a registration starts new and inactive (docs/protocol.md 2.4), so, as the holder does in the wallet,
     * this selects the selector over the contact interface, VERIFYs {@code holderPin} (ASCII digits, the PIN the
     * selector was installed with) and sends SET STATUS activate for each card, then resets the card to end the
     * holder session. With the transport PIN ({@code holderPin} null) nothing can be activated: the cards stay
     * new until the holder chooses a PIN and activates them (docs/wallet.md). A wrong PIN or a refused activation
     * throws {@link nfcpay.sim.wallet.HolderException}.
     */
    public void activateAsHolder(CardPlatform card, byte[] holderPin, List<SimCard> cards) {
        if (holderPin == null || cards.isEmpty()) {
            return;
        }
        char[] pin = new char[holderPin.length];
        for (int i = 0; i < pin.length; i++) {
            pin[i] = (char) holderPin[i];
        }
        try {
            HolderSession session = HolderSession.open(command -> card.transmit(new CommandAPDU(command)).getBytes(),
                    selectorAid);
            session.verify(pin);
            for (SimCard c : cards) {
                session.activate(c.aidHex());
            }
        } finally {
            Arrays.fill(pin, '\0');
            card.reset();
        }
    }

    /**
     * Application {@code index} (1..255) of the SIM {@code simId}: AID {@value #AID_PREFIX} and the index; serial
     * (10 bytes) issuer prefix 86 24, 7 bytes of the SIM's id, the index.
     */
    public static SimCard purse(long simId, int index, int priority, String label, Currency currency, long maxBalanceMinor) {
        byte[] serial = new byte[10];
        serial[0] = (byte) 0x86;
        serial[1] = 0x24;
        for (int i = 0; i < 7; i++) {
            serial[2 + i] = (byte) (simId >>> (8 * (6 - i)));
        }
        serial[9] = (byte) index;
        byte[] aid = HexFormat.of().parseHex(String.format("%s%02X", AID_PREFIX, index));
        return new SimCard(label, aid, serial, priority, currency, maxBalanceMinor);
    }

    /**
     * The priority of the card installed at {@code position} (1 = first). EMV priority (tag 87) has 15 values:
     * cards past the fifteenth share the lowest, and the selector then keeps them in installation order.
     */
    public static int priority(int position) {
        return Math.min(position, Link.PRIORITY_MAX);
    }
}
