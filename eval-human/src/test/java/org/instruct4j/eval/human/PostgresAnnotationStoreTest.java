package org.instruct4j.eval.human;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The annotation store against a real PostgreSQL server started for this test (Debian's postgresql package; CI
 * must install it, otherwise these tests are skipped with a message saying so).
 */
class PostgresAnnotationStoreTest extends AnnotationStoreContract {
    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Path bin = PostgresServer.binaries().orElse(null);
        assumeThat(bin).as("PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)").isNotNull();
        server = PostgresServer.start(bin);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Each test starts from empty tables. */
    @Override
    protected Database database() {
        Database db = Database.of(server.jdbcUrl());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS judgments, assignments, sessions, pairs, annotators");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return db;
    }
}
