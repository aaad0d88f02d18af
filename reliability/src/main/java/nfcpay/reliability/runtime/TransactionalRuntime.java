package nfcpay.reliability.runtime;

import com.licel.jcardsim.base.SimulatorRuntime;
import com.licel.jcardsim.base.TransientMemory;
import java.lang.reflect.Field;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javacard.framework.APDU;
import javacard.framework.Applet;

/**
 * jcardsim's runtime with the Java Card transaction semantics it lacks, for one card. jcardsim routes
 * {@code JCSystem.beginTransaction/commitTransaction/abortTransaction/getTransactionDepth} and
 * {@code makeTransient*Array} to the runtime, so they land here without rewriting the applets:
 * <ul>
 *   <li>transactions are {@link PersistentMemory}'s journal;</li>
 *   <li>transient arrays and the APDU buffers are registered as transient, so the barrier leaves them alone;</li>
 *   <li>a transaction still open when {@code process()} ends, normally or by an exception, is aborted
 *       (JCRE 3.0.5 7.6.2), as is one open when the applet is deselected;</li>
 *   <li>a command during which the power was cut ends in {@link CardTornException}, after power-up:
 *       rollback, transient memory cleared, nothing selected.</li>
 * </ul>
 */
public final class TransactionalRuntime extends SimulatorRuntime {

    private final PersistentMemory memory;

    private TransactionalRuntime(PersistentMemory memory) {
        super(new TrackingTransientMemory(memory));
        this.memory = memory;
        memory.registerTransient(bufferOf(shortAPDU));
        memory.registerTransient(bufferOf(extendedAPDU));
    }

    static TransactionalRuntime create() {
        return new TransactionalRuntime(new PersistentMemory());
    }

    PersistentMemory memory() {
        return memory;
    }

    /** Makes this the runtime that {@code JCSystem} talks to on this thread (jcardsim does it per command). */
    void activate() {
        activateSimulatorRuntimeInstance();
    }

    /** The installed applet instances by AID (hex), in AID order. */
    Map<String, Applet> appletsByAid() {
        Map<String, Applet> result = new LinkedHashMap<>();
        byte[] bytes = new byte[16];
        applets.forEach((aid, instance) -> {
            byte length = aid.getBytes(bytes, (short) 0);
            result.put(HexFormat.of().withUpperCase().formatHex(bytes, 0, length), instance.getApplet());
        });
        return result;
    }

    @Override
    public byte[] transmitCommand(byte[] command) {
        byte[] response = super.transmitCommand(command);
        if (memory.powerLost()) {
            long at = memory.lostAt();
            reset();
            throw new CardTornException(at);
        }
        if (memory.inTransaction()) {
            // JCRE 7.6.2: a transaction in progress when process() returns, or throws, is aborted.
            memory.rollback();
        }
        return response;
    }

    /** Power down and up: the open transaction rolls back, transient memory is cleared, nothing is selected. */
    @Override
    public void reset() {
        memory.powerUp();
        super.reset();
    }

    @Override
    public void beginTransaction() {
        memory.beginTransaction();
    }

    @Override
    public void commitTransaction() {
        memory.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        memory.abortTransaction();
    }

    @Override
    public byte getTransactionDepth() {
        return memory.transactionDepth();
    }

    private static Object bufferOf(APDU apdu) {
        try {
            Field buffer = APDU.class.getDeclaredField("buffer");
            buffer.setAccessible(true);
            return buffer.get(apdu);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jcardsim's APDU has no buffer field", e);
        }
    }

    /** jcardsim's transient memory, telling {@link PersistentMemory} about every transient array it makes. */
    private static final class TrackingTransientMemory extends TransientMemory {
        private final PersistentMemory memory;

        TrackingTransientMemory(PersistentMemory memory) {
            this.memory = memory;
        }

        @Override
        protected void storeArray(Object array, byte clearEvent) {
            super.storeArray(array, clearEvent);
            memory.registerTransient(array);
        }
    }
}
