package nfcpay.terminal.transport;

/**
 * One command APDU out, one response APDU (data and SW1 SW2) back. Everything else (GET RESPONSE,
 * wrong-length retry, tracing) is a wrapper stacked on top; see {@link Transports#stack}.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends one command APDU and returns the whole response APDU, status word last.
     *
     * @throws CardRemovedException when the card left the field (the command may or may not have run)
     * @throws TransportException when the reader failed
     */
    byte[] transceive(byte[] command) throws TransportException;

    /** Releases the card; closing twice is harmless. */
    @Override
    void close() throws TransportException;
}
