package nfcpay.bench.measure;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the running thread: unlike wall time it does not grow when other processes share
 * the cores, so on a busy machine it is the fairer measure of what the code costs.
 */
public final class CpuClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

    private CpuClock() {}

    /** Nanoseconds of CPU this thread has used; wall time where the JVM cannot tell. */
    public static long now() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    public static boolean supported() {
        return SUPPORTED;
    }
}
