package nfcpay.bench;

/** Hears how far a run is. Called from the running thread, often: implementations throttle their output. */
public interface ProgressListener {

    /** Nothing is shown. */
    ProgressListener NONE = (phase, done, total) -> {};

    /**
     * @param phase what runs now (a strategy name, "selection scaling", "journal cost", "charts")
     * @param done work units done so far, over the whole run
     * @param total work units of the whole run
     */
    void progress(String phase, long done, long total);

    /** The run ended (successfully or not): a bar finishes its line. */
    default void finished() {}
}
