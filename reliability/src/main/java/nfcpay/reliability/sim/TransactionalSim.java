package nfcpay.reliability.sim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import nfcpay.card.purse.PurseApplet;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.sim.CardPlatform;
import nfcpay.sim.IssuerLoader;
import nfcpay.sim.Personalizer;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimAssembly;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.wallet.HolderSession;

/**
 * The SIM {@code nfcpay.sim.SimulatedSim} builds (the selector and N personalized purses, balances
 * through the real load protocol, same AIDs, serials, DGIs and install data: the same {@link SimAssembly}
 * code) on a {@link TransactionalCard}, so that it has Java Card transaction semantics and can be torn.
 * Like {@code SimulatedSim}, its selector is installed with the holder PIN {@value #DEFAULT_HOLDER_PIN}
 * unless the builder asks for another or for the transport PIN. Unlike it, the SIM's id is fixed and the
 * initial loads are dated {@link PurseTerminal#DATE} {@link PurseTerminal#TIME}, so every run builds the same card.
 */
public final class TransactionalSim {

    public static final Currency CNY = SimulatedSim.CNY;
    public static final long DEFAULT_MAX_BALANCE = SimulatedSim.DEFAULT_MAX_BALANCE;
    /** The issuer terminal ID of the initial loads. */
    public static final byte[] LOADER_TERMINAL_ID = IssuerLoader.loaderTerminalId();
    /** As {@code SimulatedSim.DEFAULT_HOLDER_PIN}. */
    public static final String DEFAULT_HOLDER_PIN = SimulatedSim.DEFAULT_HOLDER_PIN;
    /** The clock of the initial loads: {@link PurseTerminal#DATE} {@link PurseTerminal#TIME}. */
    private static final Clock LOAD_CLOCK = Clock.fixed(LocalDateTime.parse(PurseTerminal.DATE + PurseTerminal.TIME,
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    private final TransactionalCard card;
    private final List<SimCard> cards;
    private final IssuerMasterKeys keys;
    private final long simId;

    private TransactionalSim(TransactionalCard card, List<SimCard> cards, IssuerMasterKeys keys, long simId) {
        this.card = card;
        this.cards = cards;
        this.keys = keys;
        this.simId = simId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** SimulatedSim's demo wallet: Daily Wallet 15.00, Salary Card 320.00, Travel Card 1500.00. */
    public static TransactionalSim defaultWallet() {
        return builder().card("Daily Wallet", 1_500).card("Salary Card", 32_000).card("Travel Card", 150_000).build();
    }

    public TransactionalCard card() {
        return card;
    }

    public Transport transport() {
        return card::transmit;
    }

    public List<SimCard> cards() {
        return List.copyOf(cards);
    }

    public SimCard card(String label) {
        return cards.stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no card labelled " + label));
    }

    public IssuerMasterKeys keys() {
        return keys;
    }

    /** A terminal (with the purchase, load and TAC keys of this purse) talking to this SIM. */
    public PurseTerminal terminal(SimCard purse) {
        return new PurseTerminal(transport(), purse, keys);
    }

    public Ppse ppse() {
        return new Ppse(transport());
    }

    /** The holder's client ({@code nfcpay.sim.wallet}) on this SIM; opening it selects the PPSE. */
    public HolderSession holderSession() {
        return HolderSession.open(command -> card.transmit(new CommandAPDU(command)).getBytes());
    }

    /** GET BALANCE of one purse (selects it). */
    public long balance(SimCard purse) {
        PurseTerminal t = terminal(purse);
        t.select();
        return t.balance();
    }

    /**
     * A further purse spec with the next AID, serial and priority, not yet on the card (see
     * {@link #installPurse} and {@link Personalizer}).
     */
    public SimCard nextPurse(String label) {
        int index = cards.size() + 1;
        return SimAssembly.purse(simId, index, SimAssembly.priority(index), label, CNY, DEFAULT_MAX_BALANCE);
    }

    /** Installs a purse (not personalized) and remembers it as one of this SIM's cards. */
    public void installPurse(SimCard purse) {
        card.platform().install(purse.aid(), PurseApplet.class,
                new Personalizer(keys).installParameters(purse, SimAssembly.purseInstallParameters(SimAssembly.ppseAid())));
        cards.add(purse);
    }

    /** Builds a {@link TransactionalSim}; cards get priorities 1, 2, 3... in the order they are added. */
    public static final class Builder {
        private final List<SimAssembly.Purse> specs = new ArrayList<>();
        private SelectionPolicy policy = SelectionPolicy.PRIORITY;
        private boolean legacy;
        private IssuerMasterKeys keys = IssuerMasterKeys.TEST;
        private long simId = 0x00112233445566L;
        private CardClassLoader loader = CardClassLoader.genuine();
        private boolean selector = true;
        /** Null: the transport PIN. */
        private String holderPin = DEFAULT_HOLDER_PIN;

        private Builder() {}

        /** The holder PIN the selector is installed with: 4 to 8 digits (install parameter bytes 2..). */
        public Builder holderPin(String pin) {
            if (!pin.matches("[0-9]{4,8}")) {
                throw new IllegalArgumentException("a holder PIN has 4 to 8 digits");
            }
            this.holderPin = pin;
            return this;
        }

        /** No holder PIN in the install parameters: the selector starts with the transport PIN (docs/protocol.md 5.2). */
        public Builder transportPin() {
            this.holderPin = null;
            return this;
        }

        public Builder card(String label, long balance) {
            return card(label, balance, CNY, Math.max(DEFAULT_MAX_BALANCE, balance));
        }

        public Builder card(String label, long balance, Currency currency, long maxBalance) {
            specs.add(new SimAssembly.Purse(label, balance, currency, maxBalance));
            return this;
        }

        public Builder policy(SelectionPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder legacy() {
            this.legacy = true;
            return this;
        }

        /** No selector at all: the purses work as plain purses (docs/protocol.md 3.3). */
        public Builder withoutSelector() {
            this.selector = false;
            return this;
        }

        public Builder simId(long simId) {
            this.simId = simId;
            return this;
        }

        /** The applet classes to run: {@link CardClassLoader#genuine()} or a mutant. */
        public Builder loader(CardClassLoader loader) {
            this.loader = loader;
            return this;
        }

        public TransactionalSim build() {
            TransactionalCard card = new TransactionalCard(loader);
            CardPlatform platform = card.platform();
            byte[] pin = holderPin == null ? null : holderPin.getBytes(StandardCharsets.US_ASCII);
            if (selector) {
                SimAssembly.installSelector(platform, legacy, policy, pin);
            }
            SimAssembly assembly = new SimAssembly(keys, LOAD_CLOCK);
            List<SimCard> cards = assembly.installPurses(platform, simId, specs);
            if (selector) {
                // Registrations start new: the holder approves them, as SimulatedSim's builder does.
                assembly.activateAsHolder(platform, pin, cards);
            }
            return new TransactionalSim(card, new ArrayList<>(cards), keys, simId);
        }
    }
}
