package nfcpay.host.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The one way money moves on the host. Clearing, loads and the HTTP layer call this and never write
 * balances themselves, so that another ledger (TigerBeetle, say) could stand behind the same calls.
 * Every call joins the caller's transaction ({@code c}): a posting commits with the business row that
 * caused it or not at all.
 */
public interface Accounting {

    /** Posts the transfers at once, each as two lines that sum to zero. */
    void post(Connection c, List<Transfer> transfers) throws SQLException;

    /** Records a pending transfer (no lines yet); returns its posting id. */
    long pend(Connection c, Transfer transfer) throws SQLException;

    /** Posts a pending transfer: its lines are written now. */
    void postPending(Connection c, long postingId) throws SQLException;

    /** Voids a pending transfer: it never moves money. */
    void voidPending(Connection c, long postingId) throws SQLException;

    /** The balance of one account (sum of its posted lines). */
    long balance(Connection c, String account) throws SQLException;

    /** Balances of every account whose name starts with the prefix. */
    Map<String, Long> balances(Connection c, String prefix) throws SQLException;

    /** Sum over every line of the ledger: zero at every moment. */
    long total(Connection c) throws SQLException;

    /** Postings whose lines do not sum to zero, or posted without exactly two lines (none, in a sound ledger). */
    List<Long> unbalancedPostings(Connection c) throws SQLException;
}
