package io.scanorder.order.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanorder.testkit.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Retries against real serialization conflicts in the embedded PostgreSQL (no mocks). */
class TransactionsIT {
    private static final String DATABASE = "tx_retry";
    private static PGSimpleDataSource dataSource;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    static void database() {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        pg.createDatabase(DATABASE);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(pg.jdbcUrl(DATABASE));
        dataSource.setUser(pg.user());
        dataSource.setPassword(pg.password());
    }

    @BeforeEach
    void twoDoctorsOnCall() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS on_call");
            st.execute("CREATE TABLE on_call (doctor TEXT PRIMARY KEY, on_duty BOOL NOT NULL)");
            st.execute("INSERT INTO on_call VALUES ('alice', true), ('bob', true)");
        }
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void writeSkewLoserIsRetriedAndSeesTheWinnersWrite() throws Exception {
        Transactions tx = transactions(5);
        List<Boolean> results = raceTwoDoctorsGoingOffDuty(tx);

        // One doctor went off duty; the other's retry saw that and stayed on.
        assertThat(results).containsExactlyInAnyOrder(true, false);
        assertThat(onDuty()).isEqualTo(1);
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
        assertThat(registry.counter("scanorder.db.transaction.retries").count())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void exhaustedRetriesFailWithTheNumberOfAttempts() {
        Transactions tx = transactions(1);

        assertThatThrownBy(() -> raceTwoDoctorsGoingOffDuty(tx))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TransactionFailedException.class)
                .hasMessageContaining("transaction 'go-off-duty' failed after 1 attempt")
                .hasMessageContaining("retry limit 1 reached")
                .satisfies(
                        e -> {
                            TransactionFailedException failed = (TransactionFailedException) e;
                            assertThat(failed.sqlState()).isEqualTo("40001");
                            assertThat(failed.attempts()).isEqualTo(1);
                        });
        assertThat(registry.counter("scanorder.db.transaction.retries.exhausted").count())
                .isEqualTo(1.0);
    }

    @Test
    void errorsOtherThanSerializationFailuresAreNotRetried() {
        Transactions tx = transactions(5);

        assertThatThrownBy(
                        () ->
                                tx.inTransaction(
                                        "read-missing-table",
                                        c -> {
                                            runs.incrementAndGet();
                                            return c.createStatement()
                                                    .execute("SELECT * FROM no_such_table");
                                        }))
                .isInstanceOf(TransactionFailedException.class)
                .hasMessageContaining("failed after 1 attempt (SQLSTATE 42P01, not retryable)");
        assertThat(runs.get()).isEqualTo(1);
        assertThat(registry.counter("scanorder.db.transaction.retries").count()).isZero();
    }

    @Test
    void committedWorkIsVisibleAndReturnsItsResult() throws SQLException {
        Transactions tx = transactions(3);

        int updated =
                tx.inTransaction(
                        "alice-off",
                        c ->
                                c.createStatement()
                                        .executeUpdate(
                                                "UPDATE on_call SET on_duty = false"
                                                        + " WHERE doctor = 'alice'"));

        assertThat(updated).isEqualTo(1);
        assertThat(onDuty()).isEqualTo(1);
    }

    private Transactions transactions(int maxAttempts) {
        return new Transactions(
                dataSource,
                registry,
                new RetryPolicy(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    /**
     * Each doctor goes off duty only if the other is still on duty. Both read before either writes
     * (the barrier), which is a write skew that SERIALIZABLE must refuse.
     */
    private List<Boolean> raceTwoDoctorsGoingOffDuty(Transactions tx) throws Exception {
        CyclicBarrier bothRead = new CyclicBarrier(2);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (String doctor : List.of("alice", "bob")) {
            AtomicInteger attempts = new AtomicInteger();
            futures.add(
                    pool.submit(
                            () ->
                                    tx.inTransaction(
                                            "go-off-duty",
                                            c -> {
                                                runs.incrementAndGet();
                                                int others = onDuty(c);
                                                if (attempts.incrementAndGet() == 1) {
                                                    await(bothRead);
                                                }
                                                if (others < 2) {
                                                    return false;
                                                }
                                                try (PreparedStatement ps =
                                                        c.prepareStatement(
                                                                "UPDATE on_call SET on_duty ="
                                                                        + " false WHERE doctor = ?")) {
                                                    ps.setString(1, doctor);
                                                    ps.executeUpdate();
                                                }
                                                return true;
                                            })));
        }
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the two transactions did not meet", e);
        }
    }

    private static int onDuty() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return onDuty(c);
        }
    }

    private static int onDuty(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM on_call WHERE on_duty")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
