package nfcpay.host;

import java.nio.file.Path;
import java.util.Optional;
import nfcpay.host.keys.SoftwareKeyService;

/** A host in a child JVM, so that a test can kill it with SIGKILL: {@code ChildHost DATA_DIR JDBC_URL}. */
public final class ChildHost {
    private ChildHost() {}

    public static void main(String[] args) throws Exception {
        Host host = Host.start(Path.of(args[0]), 0, Optional.of(args[1]), SoftwareKeyService.withTestKeys());
        System.out.println("listening on " + host.url());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
