package nfcpay.reliability.runtime;

import com.licel.jcardsim.smartcardio.CardSimulator;
import java.util.HexFormat;
import java.util.Map;
import javacard.framework.AID;
import javacard.framework.Applet;
import javacard.framework.SystemException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import nfcpay.sim.CardPlatform;

/**
 * A simulated card with Java Card transaction semantics and tear injection: jcardsim's
 * {@link CardSimulator} on a {@link TransactionalRuntime}, running applet classes from a
 * {@link CardClassLoader}.
 *
 * <pre>{@code
 * TransactionalCard card = new TransactionalCard();
 * card.install(aid, "nfcpay.card.purse.PurseApplet", new byte[0]);
 * long before = card.events();
 * card.tearAfter(3);                 // the power goes before the 4th persistence event from now
 * card.transmit(debit);              // CardTornException: rolled back, transient memory cleared
 * }</pre>
 */
public final class TransactionalCard {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final CardClassLoader loader;
    private final TransactionalRuntime runtime;
    private final CardSimulator simulator;

    /** An empty card running the genuine applets. */
    public TransactionalCard() {
        this(CardClassLoader.genuine());
    }

    /** An empty card running the applet classes of {@code loader} (genuine or a mutant). */
    public TransactionalCard(CardClassLoader loader) {
        this.loader = loader;
        this.runtime = TransactionalRuntime.create();
        this.simulator = new CardSimulator(runtime);
    }

    public CardClassLoader loader() {
        return loader;
    }

    /** The jcardsim card, e.g. for a {@code CardTerminalSimulator}; its commands get the same semantics. */
    public CardSimulator simulator() {
        return simulator;
    }

    public PersistentMemory memory() {
        return runtime.memory();
    }

    /**
     * Installs {@code appletClass} (a class of {@link CardClassLoader#CARD_PACKAGES}) under {@code aid}
     * with the GlobalPlatform install data {@code Li AID | Lc privileges (0) | La parameters}.
     */
    public void install(byte[] aid, String appletClass, byte[] parameters) {
        byte[] install = CardPlatform.installData(aid, parameters);
        Class<? extends Applet> type = loader.cardClass(appletClass).asSubclass(Applet.class);
        runtime.activate();
        AID instance = new AID(aid, (short) 0, (byte) aid.length);
        try {
            simulator.loadApplet(instance, type);
        } catch (SystemException e) {
            // jcardsim keeps the class of a deleted instance loaded under its AID: a reinstall creates it again.
        }
        simulator.createApplet(instance, install, (short) 0, (byte) install.length);
    }

    /**
     * This card as {@code nfcpay.sim}'s assembly code sees it, so that {@code SimAssembly} builds the SIM here
     * as it does on jcardsim. The applet classes go by name through this card's {@link #loader()}.
     */
    public CardPlatform platform() {
        return new CardPlatform() {
            @Override
            public void install(byte[] aid, Class<? extends Applet> applet, byte[] parameters) {
                TransactionalCard.this.install(aid, applet.getName(), parameters);
            }

            @Override
            public ResponseAPDU transmit(CommandAPDU command) {
                return TransactionalCard.this.transmit(command);
            }

            @Override
            public void reset() {
                powerCycle();
            }
        };
    }

    public void delete(byte[] aid) {
        simulator.deleteApplet(new AID(aid, (short) 0, (byte) aid.length));
    }

    /**
     * Sends one command.
     *
     * @throws CardTornException when the armed tear point was reached during the command; the card has
     *     been powered up again by then
     */
    public ResponseAPDU transmit(CommandAPDU command) {
        return simulator.transmitCommand(command);
    }

    public ResponseAPDU transmit(String hex) {
        return transmit(new CommandAPDU(HEX.parseHex(hex.replace(" ", ""))));
    }

    /** Power down and up between commands: transient memory cleared, nothing selected. */
    public void powerCycle() {
        simulator.reset();
    }

    /** Persistence events so far (see {@link PersistentMemory}). */
    public long events() {
        return memory().events();
    }

    /** Cuts the power just before the {@code k}-th persistence event from now (0 = the next one). */
    public void tearAfter(long k) {
        memory().tearAt(events() + k);
    }

    public void disarm() {
        memory().tearAt(-1);
    }

    /**
     * From now on every persistent write is recorded, so that {@link #restoreCheckpoint()} can bring the
     * card back to this state in microseconds (fuzzing restarts every input from one state this way).
     */
    public void checkpoint() {
        memory().checkpoint();
    }

    /** Back to the state of {@link #checkpoint()}, then a power cycle. */
    public void restoreCheckpoint() {
        memory().restoreCheckpoint();
        powerCycle();
    }

    /** The installed applets by AID (hex), in AID order. */
    public Map<String, Applet> applets() {
        return runtime.appletsByAid();
    }

    /**
     * The value of field {@code name} of the applet installed under {@code aidHex} (declared in its class
     * or a card superclass), for test oracles that need a fact the card does not answer over the wire;
     * null when there is no such applet or field.
     */
    public Object peek(String aidHex, String name) {
        Applet applet = applets().get(aidHex);
        for (Class<?> c = applet == null ? null : applet.getClass(); c != null && c.getClassLoader() instanceof CardClassLoader;
                c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(applet);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    /** Every persistent value reachable from the installed applets. */
    public HeapSnapshot snapshot() {
        return HeapSnapshot.of(applets(), memory());
    }
}
