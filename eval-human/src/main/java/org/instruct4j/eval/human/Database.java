package org.instruct4j.eval.human;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.instruct4j.core.io.BadInputException;

/**
 * Where annotations are stored: SQLite by default ({@code sqlite:FILE} or {@code jdbc:sqlite:FILE}), PostgreSQL
 * with a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=NAME}). A PostgreSQL password is read from the
 * environment variable {@value #PASSWORD_VARIABLE} so that it never appears on a command line or in a log.
 */
public final class Database {
    public static final String PASSWORD_VARIABLE = "INSTRUCT4J_DB_PASSWORD";

    private final String url;
    private final Properties properties;
    private final boolean postgres;

    private Database(String url, Properties properties, boolean postgres) {
        this.url = url;
        this.properties = properties;
        this.postgres = postgres;
    }

    public static Database of(String spec) {
        if (spec.startsWith("sqlite:") || spec.startsWith("jdbc:sqlite:")) {
            String path = spec.substring(spec.indexOf("sqlite:") + "sqlite:".length());
            if (path.isBlank()) {
                throw new BadInputException("--db sqlite: needs a file name, e.g. sqlite:annotations.db");
            }
            createParent(Path.of(path));
            Properties properties = new Properties();
            // WAL lets the exporter read while the server writes; the timeout makes writers wait instead of failing.
            properties.setProperty("journal_mode", "WAL");
            properties.setProperty("busy_timeout", "10000");
            // With WAL, NORMAL still survives a crash of the process; only a power cut can lose the last commits.
            properties.setProperty("synchronous", "NORMAL");
            properties.setProperty("foreign_keys", "true");
            return new Database("jdbc:sqlite:" + path, properties, false);
        }
        if (spec.startsWith("jdbc:postgresql:")) {
            Properties properties = new Properties();
            String password = System.getenv(PASSWORD_VARIABLE);
            if (password != null) {
                properties.setProperty("password", password);
            }
            return new Database(spec, properties, true);
        }
        throw new BadInputException("--db must be sqlite:FILE or a jdbc:postgresql:// URL");
    }

    private static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent, e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    public boolean postgres() {
        return postgres;
    }

    /** The URL without credentials, for messages. */
    public String describe() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
