package nfcpay.host.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens (by their SHA-256, as the database keeps them) this host instance has already found in table {@code credential}, for a minute: a request then
 * needs no transaction of its own to authenticate (a load authorization saves one of its three). Only
 * positive answers are kept, so a token issued a moment ago, on any instance, is found at once; and since
 * credentials are never changed or deleted (there is no revocation endpoint), a cached answer is never
 * wrong. Should revocation come, the minute bounds how long a revoked token keeps working here.
 */
final class CredentialCache {

    private static final long TTL_NANOS = 60_000_000_000L;
    private static final int LIMIT = 10_000;

    private record Entry(Principal principal, long expires) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The principal of a token (its hash) authenticated less than a minute ago, or null. */
    Principal get(String tokenHash) {
        Entry e = entries.get(tokenHash);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.expires() > 0) {
            entries.remove(tokenHash, e);
            return null;
        }
        return e.principal();
    }

    void put(String tokenHash, Principal p) {
        if (entries.size() >= LIMIT) {
            entries.clear(); // bounded: an attacker cycling unknown tokens never gets here (only hits are kept)
        }
        entries.put(tokenHash, new Entry(p, System.nanoTime() + TTL_NANOS));
    }
}
