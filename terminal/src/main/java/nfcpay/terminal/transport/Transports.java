package nfcpay.terminal.transport;

import java.util.function.Consumer;

/** The standard stack: GET RESPONSE over wrong-length retry over the trace over the reader. */
public final class Transports {

    private Transports() {}

    /**
     * Wraps a reader transport the way the kernel expects it. The trace (when {@code trace} is not
     * null) sits next to the reader, so it shows the APDUs really exchanged, 61xx and 6Cxx included.
     */
    public static Transport stack(Transport reader, Consumer<String> trace) {
        Transport t = trace == null ? reader : new TracingTransport(reader, trace);
        return new GetResponseTransport(new WrongLengthRetryTransport(t));
    }
}
