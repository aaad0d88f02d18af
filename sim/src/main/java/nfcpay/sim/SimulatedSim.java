package nfcpay.sim;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import com.licel.jcardsim.utils.AIDUtil;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import javacard.framework.AID;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.link.Link;
import nfcpay.card.purse.PurseApplet;
import nfcpay.card.selector.SelectorApplet;
import nfcpay.crypto.IssuerMasterKeys;

/**
 * A simulated SIM: the selector (PPSE) and N personalized electronic-purse applications on jcardsim,
 * with keys diversified from the issuer master keys and balances credited through the real load
 * protocol. This is the one place in the code that builds one.
 *
 * <pre>{@code
 * SimulatedSim sim = SimulatedSim.builder()
 *         .card("Daily Wallet", 1_500)          // 15.00 CNY, priority 1 (the default card)
 *         .card("Salary Card", 32_000)          // priority 2
 *         .policy(SelectionPolicy.PRIORITY)
 *         .build();
 * CardTerminal reader = sim.terminal();        // the real javax.smartcardio API, in process
 * }</pre>
 */
public final class SimulatedSim {

    /** Demo wallet AIDs are F000000824 01 01 nn (PROTOCOL.md 3). */
    static final String AID_PREFIX = "F0000008240101";
    /** The selector's registry holds this many applications. */
    public static final int MAX_CARDS = 16;
    public static final Currency CNY = Currency.getInstance("CNY");
    /** Default maximum balance of a purse: 50,000.00. */
    public static final long DEFAULT_MAX_BALANCE = 5_000_000L;

    private static final String SECURE_RANDOM_PROPERTY = "com.licel.jcardsim.randomdata.secure";
    private static final String SEED_PROPERTY = "com.licel.jcardsim.randomdata.seed";

    private final CardSimulator card;
    private final List<SimCard> cards;
    private final SelectionPolicy policy;
    private final boolean legacy;
    private final boolean testKeys;
    private CardTerminal terminal;

    private SimulatedSim(CardSimulator card, List<SimCard> cards, SelectionPolicy policy, boolean legacy, boolean testKeys) {
        this.card = card;
        this.cards = List.copyOf(cards);
        this.policy = policy;
        this.legacy = legacy;
        this.testKeys = testKeys;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The demo wallet: three cards, the default one nearly empty, so that a purchase above 15.00
     * shows smart selection paying with another card in the same tap.
     */
    public static SimulatedSim defaultWallet() {
        return builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).card("Travel Card", 150_000).build();
    }

    /** The jcardsim card, for applet-level tests ({@code transmitCommand}). */
    public CardSimulator cardSimulator() {
        return card;
    }

    /** A PC/SC-style reader with this SIM in its field, through the real {@code javax.smartcardio} API. */
    public synchronized CardTerminal terminal() {
        if (terminal == null) {
            terminal = CardTerminalSimulator.terminal(card, "nfcpay simulated SIM");
        }
        return terminal;
    }

    /** The card applications in the order they were installed (priority 1 first). */
    public List<SimCard> cards() {
        return cards;
    }

    public Optional<SimCard> card(String label) {
        return cards.stream().filter(c -> c.label().equals(label)).findFirst();
    }

    public SelectionPolicy policy() {
        return policy;
    }

    /** True for a plain PPSE without smart selection, as SIMs carry today. */
    public boolean isLegacy() {
        return legacy;
    }

    /** True when the card keys derive from the published test master keys. */
    public boolean usesTestKeys() {
        return testKeys;
    }

    /** The balance of one application in minor units, read with GET BALANCE through the card. */
    public long balance(String label) {
        SimCard c = card(label).orElseThrow(() -> new IllegalArgumentException("no card labelled " + label));
        CardApdus apdus = new CardApdus(card);
        apdus.select(c.aid(), c.label());
        return IssuerLoader.toLong(apdus.send(new CommandAPDU(0x80, 0x5C, 0x00, 0x02, 4), "GET BALANCE"));
    }

    /** Builds a simulated SIM; cards get priorities 1, 2, 3... (at most 15) in the order they are added. */
    public static final class Builder {
        private final List<CardSpec> specs = new ArrayList<>();
        private SelectionPolicy policy = SelectionPolicy.PRIORITY;
        private boolean legacy;
        private IssuerMasterKeys keys = IssuerMasterKeys.TEST;
        private Clock clock = Clock.systemDefaultZone();
        private long simId = new SecureRandom().nextLong();

        private record CardSpec(String label, long balance, Currency currency, long maxBalance) {}

        private Builder() {}

        public Builder card(String label, long balanceMinor) {
            return card(label, balanceMinor, CNY);
        }

        public Builder card(String label, long balanceMinor, Currency currency) {
            return card(label, balanceMinor, currency, Math.max(DEFAULT_MAX_BALANCE, balanceMinor));
        }

        public Builder card(String label, long balanceMinor, Currency currency, long maxBalanceMinor) {
            checkLabel(label);
            if (specs.stream().anyMatch(s -> s.label().equals(label))) {
                throw new IllegalArgumentException("two cards labelled " + label);
            }
            if (specs.size() == MAX_CARDS) {
                throw new IllegalArgumentException("a SIM holds at most " + MAX_CARDS + " card applications");
            }
            if (balanceMinor < 0 || balanceMinor > maxBalanceMinor || maxBalanceMinor > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("balance of " + label + " must be between 0 and its maximum "
                        + maxBalanceMinor + " (and the card's 4-byte range)");
            }
            specs.add(new CardSpec(label, balanceMinor, Personalizer.requireCardCurrency(currency), maxBalanceMinor));
            return this;
        }

        public Builder policy(SelectionPolicy policy) {
            this.policy = policy;
            return this;
        }

        /** A plain PPSE without 9F38: the terminal must fall back to EMV Book B priority order. */
        public Builder legacy() {
            this.legacy = true;
            return this;
        }

        /** Issuer master keys to diversify from (default: the published test keys). */
        public Builder keys(IssuerMasterKeys keys) {
            this.keys = keys;
            return this;
        }

        /** The clock of the loads that credit the initial balances. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Fixes the application serial numbers (else each SIM gets new ones, as each physical SIM does). */
        public Builder simId(long simId) {
            this.simId = simId;
            return this;
        }

        public SimulatedSim build() {
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("a simulated SIM needs at least one card");
            }
            useSecureRandomUnlessSeeded();
            CardSimulator card = new CardSimulator();
            byte[] selectorParams = {legacy ? nfcpay.card.Wire.INSTALL_FLAG_LEGACY : 0, policy.installByte()};
            install(card, new AID(Link.PPSE_AID, (short) 0, (byte) Link.PPSE_AID.length), SelectorApplet.class, selectorParams);

            CardApdus apdus = new CardApdus(card);
            Personalizer personalizer = new Personalizer(keys);
            IssuerLoader loader = new IssuerLoader(keys, clock);
            List<SimCard> cards = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                CardSpec spec = specs.get(i);
                SimCard sc = new SimCard(spec.label(), aidBytes(i + 1), serial(i + 1), priority(i + 1), spec.currency(),
                        spec.maxBalance());
                install(card, AIDUtil.create(sc.aidHex()), PurseApplet.class, new byte[0]);
                apdus.select(sc.aid(), sc.label());
                for (CommandAPDU storeData : personalizer.storeDataCommands(sc)) {
                    apdus.send(storeData, "STORE DATA for " + sc.label());
                }
                if (spec.balance() > 0) {
                    loader.load(apdus, sc, spec.balance());
                }
                cards.add(sc);
            }
            card.reset();
            return new SimulatedSim(card, cards, policy, legacy, keys.isTestKeys());
        }

        /**
         * EMV priority (tag 87) has 15 values: cards past the fifteenth share the lowest, and the
         * selector then keeps them in installation order.
         */
        static int priority(int position) {
            return Math.min(position, Link.PRIORITY_MAX);
        }

        private static byte[] aidBytes(int index) {
            return java.util.HexFormat.of().parseHex(String.format("%s%02X", AID_PREFIX, index));
        }

        /** 10 bytes: issuer prefix 86 24, 7 bytes of this SIM's id, the application's index. */
        private byte[] serial(int index) {
            byte[] serial = new byte[10];
            serial[0] = (byte) 0x86;
            serial[1] = 0x24;
            for (int i = 0; i < 7; i++) {
                serial[2 + i] = (byte) (simId >>> (8 * (6 - i)));
            }
            serial[9] = (byte) index;
            return serial;
        }

        private static void install(CardSimulator card, AID aid, Class<? extends javacard.framework.Applet> applet, byte[] params) {
            byte[] aidBytes = new byte[16];
            int aidLength = aid.getBytes(aidBytes, (short) 0);
            // GlobalPlatform INSTALL [for install] data: Li AID | Lc privileges | La parameters
            byte[] install = new byte[1 + aidLength + 1 + 1 + params.length];
            install[0] = (byte) aidLength;
            System.arraycopy(aidBytes, 0, install, 1, aidLength);
            install[1 + aidLength] = 0;
            install[2 + aidLength] = (byte) params.length;
            System.arraycopy(params, 0, install, 3 + aidLength, params.length);
            card.installApplet(aid, applet, install, (short) 0, (byte) install.length);
        }

        private static void checkLabel(String label) {
            if (label == null || label.isEmpty() || label.length() > Link.LABEL_MAX
                    || !label.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F)) {
                throw new IllegalArgumentException("a card label is 1 to " + Link.LABEL_MAX
                        + " printable ASCII characters: '" + label + "'");
            }
        }

        private static void useSecureRandomUnlessSeeded() {
            if (System.getProperty(SEED_PROPERTY) == null && System.getProperty(SECURE_RANDOM_PROPERTY) == null) {
                // jcardsim draws the same "random" numbers every run otherwise; credentials and card randoms must differ.
                System.setProperty(SECURE_RANDOM_PROPERTY, "1");
            }
        }
    }
}
