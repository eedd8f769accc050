package io.scanorder.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {
    private static EmbeddedPostgres pg;

    @BeforeAll
    static void startServer() {
        pg = EmbeddedPostgres.shared();
        pg.createDatabase("testkit");
    }

    @Test
    void transactionsAreSerializableByDefault() throws SQLException {
        try (Connection c = pg.connect("testkit");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW transaction_isolation")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("serializable");
        }
    }

    @Test
    void writeSkewBetweenConcurrentTransactionsFailsOneWith40001() throws SQLException {
        try (Connection setup = pg.connect("testkit");
                Statement st = setup.createStatement()) {
            st.execute("DROP TABLE IF EXISTS on_call");
            st.execute("CREATE TABLE on_call (doctor TEXT PRIMARY KEY, on_duty BOOLEAN NOT NULL)");
            st.execute("INSERT INTO on_call VALUES ('alice', true), ('bob', true)");
        }
        // Each transaction checks that someone else stays on duty, then takes its doctor off.
        // Under snapshot isolation both would commit and leave nobody on duty.
        try (Connection t1 = pg.connect("testkit");
                Connection t2 = pg.connect("testkit")) {
            t1.setAutoCommit(false);
            t2.setAutoCommit(false);
            assertThat(onDuty(t1)).isEqualTo(2);
            assertThat(onDuty(t2)).isEqualTo(2);
            List<String> sqlStates = new ArrayList<>();
            for (var tx : List.of(new Object[] {t1, "alice"}, new Object[] {t2, "bob"})) {
                Connection c = (Connection) tx[0];
                try (Statement st = c.createStatement()) {
                    st.executeUpdate(
                            "UPDATE on_call SET on_duty = false WHERE doctor = '" + tx[1] + "'");
                    c.commit();
                    sqlStates.add("committed");
                } catch (SQLException e) {
                    sqlStates.add(e.getSQLState());
                    c.rollback();
                }
            }
            assertThat(sqlStates).containsExactly("committed", "40001");
        }
        try (Connection c = pg.connect("testkit")) {
            assertThat(onDuty(c)).isEqualTo(1);
        }
    }

    @Test
    void createDatabaseIsIdempotentAndRejectsNamesThatNeedQuoting() throws SQLException {
        pg.createDatabase("twice");
        pg.createDatabase("twice");
        try (Connection c = pg.connect("twice")) {
            assertThat(c.isValid(2)).isTrue();
        }
        assertThatThrownBy(() -> pg.createDatabase("Bad-Name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Bad-Name'");
    }

    @Test
    void stopMakesServerUnreachableAndStartBringsItBackWithItsData() throws SQLException {
        try (EmbeddedPostgres own = EmbeddedPostgres.launch()) {
            int port = own.port();
            try (Connection c = own.connect("postgres");
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
                st.execute("INSERT INTO kept VALUES (7)");
            }
            own.stop();
            assertThat(own.isRunning()).isFalse();
            assertThatThrownBy(() -> own.connect("postgres").close())
                    .isInstanceOf(SQLException.class);

            own.start();
            assertThat(own.port()).isEqualTo(port);
            try (Connection c = own.connect("postgres");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
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
