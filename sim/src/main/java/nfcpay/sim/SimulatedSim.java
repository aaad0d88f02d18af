package nfcpay.sim;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.sim.wallet.HolderException;
import nfcpay.sim.wallet.HolderSession;

/**
 * A simulated SIM: the selector (PPSE) and N personalized electronic-purse applications on jcardsim,
 * with keys diversified from the issuer master keys and balances credited through the real load
 * protocol. {@link SimAssembly} is the one place in the code that builds one; the reliability module's
 * SIM with transactions and tearing is built by it too.
 *
 * <pre>{@code
 * SimulatedSim sim = SimulatedSim.builder()
 *         .card("Daily Wallet", 1_500)          // 15.00 CNY, priority 1 (the default card)
 *         .card("Salary Card", 32_000)          // priority 2
 *         .policy(SelectionPolicy.PRIORITY)
 *         .build();
 * CardTerminal reader = sim.terminal();        // the real javax.smartcardio API, in process
 *
 * sim.addCard("Travel Card", 150_000);         // installed, personalized, loaded: last in the order
 * HolderSession wallet = sim.holderSession();  // the holder's commands (docs/protocol.md 5)
 * wallet.verify(pin);                          // char[], wiped
 * wallet.order(List.of("Travel Card"));        // Travel Card first, the others after it
 * sim.removeCard("Salary Card");               // deleted with its credential; balances stay
 * }</pre>
 *
 * <p>jcardsim is not thread-safe: every method here that talks to the card holds the
 * {@link CardSimulator}'s monitor, as a served reader must too (see {@code nfcpay.sim.pcsc}).
 * The card has one channel: {@link #addCard} and {@link #removeCard} reset it afterwards, which
 * ends any session in progress (a holder session or a payment) as a power cycle would.
 */
public final class SimulatedSim implements AutoCloseable {

    /** The selector's registry holds this many applications. */
    public static final int MAX_CARDS = 16;
    public static final Currency CNY = Currency.getInstance("CNY");
    /** Default maximum balance of a purse: 50,000.00. */
    public static final long DEFAULT_MAX_BALANCE = 5_000_000L;
    /** The holder PIN the simulated SIM's selector is installed with unless {@link Builder#holderPin} says otherwise. */
    public static final String DEFAULT_HOLDER_PIN = "1234";
    /** Application index byte of the demo AIDs and serials: 01..FF; jcardsim never reuses a deleted AID. */
    private static final int MAX_INDEX = 0xFF;

    private static final String SECURE_RANDOM_PROPERTY = "com.licel.jcardsim.randomdata.secure";
    private static final String SEED_PROPERTY = "com.licel.jcardsim.randomdata.seed";

    /** The jcardsim card, or null when the SIM runs on another platform ({@link Builder#build(CardPlatform)}). */
    private final CardSimulator simulator;
    /** The card, as the assembly code sees it. */
    private final CardPlatform platform;
    /** Held by every exchange with the card: the simulator itself on jcardsim (as its reader holds it), else the platform. */
    private final Object card;
    /** The installed card applications, in installation order; guarded by {@link #card}. */
    private final List<SimCard> cards;
    private final SelectionPolicy policy;
    private final boolean legacy;
    private final boolean testKeys;
    private final SimAssembly assembly;
    private final byte[] selectorAid;
    private final long simId;
    /**
     * ASCII digits of the PIN the selector was installed with, null for the transport PIN: {@link #addCard} approves
     * the new card with it as the holder would ({@link SimAssembly#activateAsHolder}).
     */
    private final byte[] holderPin;
    private final boolean cmacFromBlockCipher;
    /** The next application index (AID and serial); guarded by {@link #card}. */
    private int nextIndex;
    private CardTerminal terminal;

    private SimulatedSim(CardSimulator simulator, CardPlatform platform, List<SimCard> cards, Builder builder) {
        this.simulator = simulator;
        this.platform = platform;
        this.card = simulator != null ? simulator : platform;
        this.cards = new ArrayList<>(cards);
        this.policy = builder.policy;
        this.legacy = builder.legacy;
        this.testKeys = builder.keys.isTestKeys();
        this.assembly = builder.assembly();
        this.selectorAid = builder.selectorAid.clone();
        this.simId = builder.simId;
        this.holderPin = builder.holderPin == null ? null : builder.holderPin.clone();
        this.cmacFromBlockCipher = builder.cmacFromBlockCipher;
        this.nextIndex = cards.size() + 1;
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

    /** The jcardsim card, for applet-level tests ({@code transmitCommand}); only on jcardsim. */
    public CardSimulator cardSimulator() {
        if (simulator == null) {
            throw new IllegalStateException("this SIM does not run on jcardsim but on " + platform);
        }
        return simulator;
    }

    /** The card this SIM is assembled on; exchanges with it must hold {@link #lock()}. */
    public CardPlatform platform() {
        return platform;
    }

    /** The monitor every exchange with the card holds (the {@link CardSimulator} on jcardsim). */
    public Object lock() {
        return card;
    }

    /** A PC/SC-style reader with this SIM in its field, through the real {@code javax.smartcardio} API. */
    public synchronized CardTerminal terminal() {
        if (terminal == null) {
            terminal = simulator != null
                    ? CardTerminalSimulator.terminal(simulator, "nfcpay simulated SIM")
                    : new PlatformTerminal(platform, card, "nfcpay SIM on " + platform);
        }
        return terminal;
    }

    /** Ends the card's platform when it is a process of its own (Oracle's reference VM); nothing on jcardsim. */
    @Override
    public void close() {
        if (platform instanceof AutoCloseable) {
            synchronized (card) {
                try {
                    ((AutoCloseable) platform).close();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("could not stop " + platform + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The card applications on the SIM, in the order they were installed (for the builder's cards that
     * is priority 1 first). The holder's order is the card's: {@link #holderSession()}{@code .list()}.
     */
    public List<SimCard> cards() {
        synchronized (card) {
            return List.copyOf(cards);
        }
    }

    public Optional<SimCard> card(String label) {
        synchronized (card) {
            return cards.stream().filter(c -> c.label().equals(label)).findFirst();
        }
    }

    /** The policy the selector was installed with; the holder may have changed it since ({@code settings()}). */
    public SelectionPolicy policy() {
        return policy;
    }

    /** Where the selector is installed: {@link SimAssembly#ppseAid()} unless {@link Builder#selectorAid} said otherwise. */
    public byte[] selectorAid() {
        return selectorAid.clone();
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
        synchronized (card) {
            SimCard c = card(label).orElseThrow(() -> new IllegalArgumentException("no card labelled " + label));
            CardApdus apdus = new CardApdus(platform);
            apdus.select(c.aid(), c.label());
            return BigEndian.toLong(apdus.send(new CommandAPDU(0x80, 0x5C, 0x00, 0x02, 4), "GET BALANCE"));
        }
    }

    /**
     * A holder session on this SIM's card (it selects the PPSE), over the contact interface as the
     * phone's wallet would; see {@link HolderSession}.
     */
    public HolderSession holderSession() {
        return HolderSession.open(command -> {
            synchronized (card) {
                return platform.transmit(new CommandAPDU(command)).getBytes();
            }
        }, selectorAid);
    }

    /** {@link #addCard(String, long, Currency)} in CNY. */
    public SimCard addCard(String label, long balanceMinor) {
        return addCard(label, balanceMinor, CNY);
    }

    /** {@link #addCard(String, long, Currency, long)} with the default maximum balance (or the balance, if more). */
    public SimCard addCard(String label, long balanceMinor, Currency currency) {
        return addCard(label, balanceMinor, currency, Math.max(DEFAULT_MAX_BALANCE, balanceMinor));
    }

    /**
     * Installs another electronic purse, personalizes it with keys diversified from this SIM's issuer
     * master keys (it registers with the selector), and loads {@code balanceMinor} through the load
     * protocol, while the other applications keep their balances and order. It joins the end of the
     * order: its priority DGI says one after the last card installed here, and once the holder has set an
     * order the selector puts a new registration last whatever it asks for (docs/protocol.md 5.5).
     * The card registers new and inactive; the simulator then approves it as the holder would, with the PIN
     * the SIM was built with ({@link SimAssembly#activateAsHolder}). With the transport PIN, or when the holder
     * has changed the PIN since (that VERIFY then spends a try), it stays new until the holder activates it.
     * Resets the card afterwards.
     */
    public SimCard addCard(String label, long balanceMinor, Currency currency, long maxBalanceMinor) {
        synchronized (card) {
            SimCard added = addNewCard(label, balanceMinor, currency, maxBalanceMinor);
            try {
                assembly.activateAsHolder(platform, holderPin, List.of(added));
            } catch (HolderException e) {
                // The holder changed the PIN since the SIM was built: the card stays new, for 'wallet activate'.
            }
            return added;
        }
    }

    /**
     * As {@link #addCard(String, long, Currency, long)} without the holder's approval: the card stays new (out of the
     * PPSE, refusing contactless purchases) until the holder activates it, as a card an issuer installs on a real SIM
     * does (docs/protocol.md 2.4).
     */
    public SimCard addNewCard(String label, long balanceMinor, Currency currency, long maxBalanceMinor) {
        Builder.checkCard(label, balanceMinor, currency, maxBalanceMinor);
        synchronized (card) {
            if (card(label).isPresent()) {
                throw new IllegalArgumentException("there is already a card labelled " + label);
            }
            if (cards.size() == MAX_CARDS) {
                throw new IllegalStateException("a SIM holds at most " + MAX_CARDS + " card applications");
            }
            if (nextIndex > MAX_INDEX) {
                throw new IllegalStateException("this simulated SIM has used up its " + MAX_INDEX + " application AIDs");
            }
            int priority = SimAssembly.priority(cards.stream().mapToInt(SimCard::priority).max().orElse(0) + 1);
            SimCard added = SimAssembly.purse(simId, nextIndex, priority, label, currency, maxBalanceMinor);
            nextIndex++;
            try {
                assembly.installPurse(platform, added, balanceMinor);
            } catch (RuntimeException e) {
                platform.reset();
                platform.delete(added.aid());
                throw e;
            }
            platform.reset();
            cards.add(added);
            return added;
        }
    }

    /**
     * What the issuer does for a SIM whose holder PIN is blocked (docs/protocol.md 5.2): deletes the selector and
     * installs it afresh, with an empty registry and the PIN and settings this SIM was built with (the holder's order
     * and policy are gone with the old one). The purses keep their balances, keys and logs but are in no PPSE until
     * each is next selected over the contact interface, where it finds the selector does not know it and registers
     * again (docs/protocol.md 2.4): {@code rejoin} selects each purse that way, as the issuer's card manager does
     * after the reinstall. They come back new, under fresh credentials, and pay once the holder activates them.
     * Resets the card.
     */
    public void reinstallSelector(boolean rejoin) {
        synchronized (card) {
            platform.reset();
            platform.delete(selectorAid);
            SimAssembly.installSelector(platform, selectorAid, legacy, policy, holderPin, cmacFromBlockCipher);
            if (rejoin) {
                CardApdus apdus = new CardApdus(platform);
                for (SimCard c : cards) {
                    apdus.select(c.aid(), c.label());
                }
            }
            platform.reset();
        }
    }

    /**
     * Deletes the card application labelled {@code label}, as the card manager would. The selector drops
     * it and destroys its credential the next time it builds the PPSE, selects or answers a holder command
     * (docs/protocol.md 2.4); the other applications keep their balances and order. Resets the card.
     */
    public SimCard removeCard(String label) {
        synchronized (card) {
            SimCard removed = card(label).orElseThrow(() -> new IllegalArgumentException("no card labelled " + label));
            platform.reset();
            platform.delete(removed.aid());
            cards.remove(removed);
            return removed;
        }
    }

    /** Builds a simulated SIM; cards get priorities 1, 2, 3... (at most 15) in the order they are added. */
    public static final class Builder {
        private final List<SimAssembly.Purse> specs = new ArrayList<>();
        private SelectionPolicy policy = SelectionPolicy.PRIORITY;
        private boolean legacy;
        private IssuerMasterKeys keys = IssuerMasterKeys.TEST;
        private Clock clock = Clock.systemDefaultZone();
        private LoadIssuer issuer;
        private long simId = new SecureRandom().nextLong();
        private boolean cmacFromBlockCipher;
        /** ASCII digits of the holder PIN for the selector's install parameters; null = transport PIN. */
        private byte[] holderPin = DEFAULT_HOLDER_PIN.getBytes(StandardCharsets.US_ASCII);
        private byte[] selectorAid = SimAssembly.ppseAid();

        private Builder() {}

        /**
         * Installs the selector under {@code aid} (5 to 16 bytes) instead of the PPSE AID "2PAY.SYS.DDF01", as on a
         * SIM whose GlobalPlatform contactless registry owns the PPSE (docs/card.md "Living with a contactless
         * registry (CRS)"); each purse is installed with that AID as its install parameters so that it finds
         * its selector. Terminals then reach smart selection only by selecting that AID.
         */
        public Builder selectorAid(byte[] aid) {
            this.selectorAid = SimAssembly.checkSelectorAid(aid);
            return this;
        }

        public Builder card(String label, long balanceMinor) {
            return card(label, balanceMinor, CNY);
        }

        public Builder card(String label, long balanceMinor, Currency currency) {
            return card(label, balanceMinor, currency, Math.max(DEFAULT_MAX_BALANCE, balanceMinor));
        }

        public Builder card(String label, long balanceMinor, Currency currency, long maxBalanceMinor) {
            checkCard(label, balanceMinor, currency, maxBalanceMinor);
            if (specs.stream().anyMatch(s -> s.label().equals(label))) {
                throw new IllegalArgumentException("two cards labelled " + label);
            }
            if (specs.size() == MAX_CARDS) {
                throw new IllegalArgumentException("a SIM holds at most " + MAX_CARDS + " card applications");
            }
            specs.add(new SimAssembly.Purse(label, balanceMinor, currency, maxBalanceMinor));
            return this;
        }

        static void checkCard(String label, long balanceMinor, Currency currency, long maxBalanceMinor) {
            checkLabel(label);
            if (balanceMinor < 0 || balanceMinor > maxBalanceMinor || maxBalanceMinor > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("balance of " + label + " must be between 0 and its maximum "
                        + maxBalanceMinor + " (and the card's 4-byte range)");
            }
            Personalizer.requireCardCurrency(currency);
        }

        /**
         * The holder PIN the selector is installed with (4 to 8 digits; default {@value #DEFAULT_HOLDER_PIN}).
         * {@code pin} is wiped.
         */
        public Builder holderPin(char[] pin) {
            try {
                if (pin.length < Wire.PIN_MIN_DIGITS || pin.length > Wire.PIN_MAX_DIGITS) {
                    throw new IllegalArgumentException("a holder PIN has 4 to 8 digits");
                }
                byte[] digits = new byte[pin.length];
                for (int i = 0; i < pin.length; i++) {
                    if (pin[i] < '0' || pin[i] > '9') {
                        Arrays.fill(digits, (byte) 0);
                        throw new IllegalArgumentException("a holder PIN has digits only");
                    }
                    digits[i] = (byte) pin[i];
                }
                wipeHolderPin();
                holderPin = digits;
                return this;
            } finally {
                Arrays.fill(pin, '\0');
            }
        }

        /**
         * Installs the selector without a holder PIN, as a SIM leaves the factory: it starts with the
         * transport PIN {@code 1234}, which must be changed before anything else changes.
         */
        public Builder transportPin() {
            wipeHolderPin();
            holderPin = null;
            return this;
        }

        private void wipeHolderPin() {
            if (holderPin != null) {
                Arrays.fill(holderPin, (byte) 0);
            }
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

        /**
         * Who authorizes the loads that credit the opening balances (default: the simulator's in-process issuer,
         * {@link SimulatedIssuer}, with this SIM's keys). The command line gives the issuer host here when it has
         * one, so that the host's ledger knows where every unit on a card came from.
         */
        public Builder issuer(LoadIssuer issuer) {
            this.issuer = issuer;
            return this;
        }

        private SimAssembly assembly() {
            return issuer == null ? new SimAssembly(keys, clock, selectorAid)
                    : new SimAssembly(keys, issuer, clock, selectorAid);
        }

        /** The clock of the loads that credit the initial balances. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Installs the selector with {@link Wire#INSTALL_FLAG_SOFTWARE_CMAC}: it checks the account records' AES-CMAC
         * built from the AES block cipher, as on a card without ALG_AES_CMAC_128. (The purses always compute theirs
         * from their own AES: docs/protocol.md 4.)
         */
        public Builder cmacFromBlockCipher() {
            this.cmacFromBlockCipher = true;
            return this;
        }

        /** Fixes the application serial numbers (else each SIM gets new ones, as each physical SIM does). */
        public Builder simId(long simId) {
            this.simId = simId;
            return this;
        }

        /** The SIM on jcardsim, in this process. */
        public SimulatedSim build() {
            useSecureRandomUnlessSeeded();
            CardSimulator card = new CardSimulator();
            return assemble(card, CardPlatform.of(card));
        }

        /**
         * The same SIM, byte for byte, on another card {@code platform} (Oracle's reference VM): the selector and
         * the purses installed, personalized and loaded there. The SIM owns the platform from here on:
         * {@link SimulatedSim#close()} ends it, and so does a failure while assembling.
         */
        public SimulatedSim build(CardPlatform platform) {
            try {
                return assemble(null, platform);
            } catch (RuntimeException e) {
                if (platform instanceof AutoCloseable) {
                    try {
                        ((AutoCloseable) platform).close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private SimulatedSim assemble(CardSimulator simulator, CardPlatform platform) {
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("a simulated SIM needs at least one card");
            }
            SimAssembly.installSelector(platform, selectorAid, legacy, policy, holderPin, cmacFromBlockCipher);
            SimAssembly assembly = assembly();
            List<SimCard> cards = assembly.installPurses(platform, simId, specs);
            assembly.activateAsHolder(platform, holderPin, cards);
            return new SimulatedSim(simulator, platform, cards, this);
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
