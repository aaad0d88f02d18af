package nfcpay.bench.air;

/** ISO/IEC 14443 bit rates: one bit lasts {@code etuCycles} periods of the 13.56 MHz carrier. */
public enum BitRate {
    KBPS_106(128, "106k"),
    KBPS_212(64, "212k"),
    KBPS_424(32, "424k");

    private final int etuCycles;
    private final String key;

    BitRate(int etuCycles, String key) {
        this.etuCycles = etuCycles;
        this.key = key;
    }

    /** Carrier cycles per bit (128/fc at 106 kbit/s). */
    public int etuCycles() {
        return etuCycles;
    }

    /** The suffix used in results: 106k, 212k, 424k. */
    public String key() {
        return key;
    }

    /** Bit duration in microseconds. */
    public double bitMicros() {
        return etuCycles / AirTimeModel.FC_MHZ;
    }
}
