package io.scanorder.order.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs units of work in SERIALIZABLE transactions and retries them when the database reports a
 * serialization failure (SQLSTATE 40001), as CockroachDB does routinely under contention and
 * PostgreSQL does for SERIALIZABLE conflicts. A unit of work may therefore run more than once: it
 * must not have side effects outside the connection it is given.
 */
public class Transactions {
    /** SQLSTATE for serialization_failure (CockroachDB: "restart transaction"). */
    public static final String SERIALIZATION_FAILURE = "40001";

    private static final Logger LOG = Logger.getLogger(Transactions.class);

    private final DataSource dataSource;
    private final RetryPolicy policy;
    private final Counter retries;
    private final Counter exhausted;

    public Transactions(DataSource dataSource, MeterRegistry registry, RetryPolicy policy) {
        this.dataSource = dataSource;
        this.policy = policy;
        this.retries =
                Counter.builder("scanorder.db.transaction.retries")
                        .description("Transactions re-run after a serialization failure (40001)")
                        .register(registry);
        this.exhausted =
                Counter.builder("scanorder.db.transaction.retries.exhausted")
                        .description(
                                "Transactions that still failed with 40001 on the last attempt")
                        .register(registry);
    }

    /** Work done inside one transaction on the given connection. */
    @FunctionalInterface
    public interface UnitOfWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a SERIALIZABLE transaction and commits it, retrying on 40001 up to the
     * policy's attempt limit.
     *
     * @throws TransactionFailedException on any other error (at once) or when retries run out; its
     *     message says how many attempts were made
     */
    public <T> T inTransaction(String name, UnitOfWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(work);
            } catch (SQLException e) {
                String state = sqlState(e);
                boolean retryable = SERIALIZATION_FAILURE.equals(state);
                if (!retryable || attempt >= policy.maxAttempts()) {
                    if (retryable) {
                        exhausted.increment();
                    }
                    throw new TransactionFailedException(
                            "transaction '"
                                    + name
                                    + "' failed after "
                                    + attempt
                                    + (attempt == 1 ? " attempt" : " attempts")
                                    + (retryable
                                            ? " (serialization failures, retry limit "
                                                    + policy.maxAttempts()
                                                    + " reached)"
                                            : " (SQLSTATE " + state + ", not retryable)")
                                    + ": "
                                    + e.getMessage(),
                            attempt,
                            state,
                            e);
                }
                retries.increment();
                Duration pause = policy.backoffAfter(attempt);
                // The database's reason (PostgreSQL: which SSI check, e.g. "Canceled on
                // identification as a pivot, during write") tells which statement conflicts.
                LOG.debugf(
                        "transaction '%s' hit a serialization failure on attempt %d; retrying in %d"
                                + " ms: %s",
                        name, attempt, pause.toMillis(), e.getMessage());
                sleep(pause, name, attempt, e);
            }
        }
    }

    private <T> T runOnce(UnitOfWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException rollbackError) {
            cause.addSuppressed(rollbackError);
        }
    }

    /** The first SQLSTATE in the exception chain (drivers and pools may wrap the original). */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static void sleep(Duration pause, String name, int attempt, SQLException cause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new TransactionFailedException(
                    "transaction '" + name + "' interrupted after " + attempt + " attempts",
                    attempt,
                    SERIALIZATION_FAILURE,
                    cause);
        }
    }
}
