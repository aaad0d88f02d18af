package nfcpay.reliability.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.card.Wire;
import nfcpay.card.link.Link;
import nfcpay.crypto.IssuerMasterKeys;
import nfcpay.reliability.runtime.CardClassLoader;
import nfcpay.reliability.runtime.TransactionalCard;
import nfcpay.sim.SelectionPolicy;
import nfcpay.sim.SimCard;
import nfcpay.sim.SimulatedSim;
import nfcpay.sim.wallet.HolderSession;

/**
 * A SIM like {@code nfcpay.sim.SimulatedSim} builds (the selector and N personalized purses, balances
 * through the real load protocol, same AIDs, serials, DGIs and install data) on a
 * {@link TransactionalCard}, so that it has Java Card transaction semantics and can be torn. It is built
 * through APDUs only; the purse's install data and personalization are those of docs/protocol.md. Like
 * {@code SimulatedSim}, its selector is installed with the holder PIN {@value #DEFAULT_HOLDER_PIN} unless the
 * builder asks for another or for the transport PIN.
 */
public final class TransactionalSim {

    public static final String SELECTOR_CLASS = "nfcpay.card.selector.SelectorApplet";
    public static final String PURSE_CLASS = "nfcpay.card.purse.PurseApplet";
    /** Demo wallet AIDs F000000824 01 01 nn (PROTOCOL.md 3), as SimulatedSim assigns them. */
    public static final String AID_PREFIX = "F0000008240101";
    public static final Currency CNY = Currency.getInstance("CNY");
    public static final long DEFAULT_MAX_BALANCE = 5_000_000L;
    /** The issuer terminal ID of the initial loads. */
    public static final byte[] LOADER_TERMINAL_ID = Bytes.hex("000000000001");
    /** As {@code SimulatedSim.DEFAULT_HOLDER_PIN}. */
    public static final String DEFAULT_HOLDER_PIN = SimulatedSim.DEFAULT_HOLDER_PIN;

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
     * {@link #installPurse} and {@link Personalization}).
     */
    public SimCard nextPurse(String label) {
        int index = cards.size() + 1;
        return Builder.spec(label, index, simId, CNY, DEFAULT_MAX_BALANCE);
    }

    /** Installs a purse (not personalized) and remembers it as one of this SIM's cards. */
    public void installPurse(SimCard purse) {
        card.install(purse.aid(), PURSE_CLASS, new byte[0]);
        cards.add(purse);
    }

    /** Builds a {@link TransactionalSim}; cards get priorities 1, 2, 3... in the order they are added. */
    public static final class Builder {
        private record Spec(String label, long balance, Currency currency, long maxBalance) {}

        private final List<Spec> specs = new ArrayList<>();
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
            specs.add(new Spec(label, balance, currency, maxBalance));
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
            if (selector) {
                byte[] params = Bytes.concat(new byte[] {legacy ? Wire.INSTALL_FLAG_LEGACY : 0, policyByte(policy)},
                        holderPin == null ? new byte[0] : holderPin.getBytes(StandardCharsets.US_ASCII));
                card.install(Link.PPSE_AID, SELECTOR_CLASS, params);
            }
            List<SimCard> cards = new ArrayList<>();
            TransactionalSim sim = new TransactionalSim(card, cards, keys, simId);
            for (int i = 0; i < specs.size(); i++) {
                Spec s = specs.get(i);
                SimCard purse = spec(s.label(), i + 1, simId, s.currency(), s.maxBalance());
                sim.installPurse(purse);
                PurseTerminal issuer = new PurseTerminal(sim.transport(), purse, keys, LOADER_TERMINAL_ID);
                expect(issuer.select(), "SELECT " + s.label());
                for (CommandAPDU storeData : Personalization.storeData(purse, keys)) {
                    expect(card.transmit(storeData), "STORE DATA " + s.label());
                }
                if (s.balance() > 0) {
                    PurseTerminal.Load.Result load = issuer.load(s.balance());
                    if (!load.verified()) {
                        throw new IllegalStateException("initial load of " + s.label() + " failed: SW "
                                + Integer.toHexString(load.sw()));
                    }
                }
            }
            card.powerCycle();
            return sim;
        }

        static SimCard spec(String label, int index, long simId, Currency currency, long maxBalance) {
            byte[] aid = Bytes.hex(String.format("%s%02X", AID_PREFIX, index));
            byte[] serial = new byte[10];
            serial[0] = (byte) 0x86;
            serial[1] = 0x24;
            for (int i = 0; i < 7; i++) {
                serial[2 + i] = (byte) (simId >>> (8 * (6 - i)));
            }
            serial[9] = (byte) index;
            return new SimCard(label, aid, serial, index, currency, maxBalance);
        }

        private static byte policyByte(SelectionPolicy policy) {
            switch (policy) {
                case BEST_FIT: return Wire.POLICY_BEST_FIT;
                case MOST_FUNDS: return Wire.POLICY_MOST_FUNDS;
                case ANY: return Wire.POLICY_ANY;
                default: return Wire.POLICY_PRIORITY;
            }
        }

        private static void expect(ResponseAPDU response, String what) {
            if (response.getSW() != 0x9000) {
                throw new IllegalStateException(what + " failed: SW " + Integer.toHexString(response.getSW()));
            }
        }
    }
}
