package org.instruct4j.eval.human;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;

/**
 * Annotators, their sessions, the items shown to them and their judgments, in SQLite or PostgreSQL (the same
 * portable SQL). Guarantees: an annotator judges an item at most once (primary key annotator + pair; a repeated
 * submit stores nothing and reports so); the side model A's answer is shown on is drawn once per annotator and item
 * and kept, so a reload shows the same screen; only hashes of tokens and session ids are stored. Thread-safe.
 */
public final class AnnotationStore implements AutoCloseable {
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS annotators (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                    + " token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS pairs (pair_id TEXT PRIMARY KEY, question_id TEXT NOT NULL, category TEXT NOT NULL,"
                    + " question TEXT NOT NULL, model_a TEXT NOT NULL, answer_a TEXT NOT NULL, model_b TEXT NOT NULL,"
                    + " answer_b TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, annotator_id TEXT NOT NULL REFERENCES annotators(id),"
                    + " csrf_token TEXT NOT NULL, created_at TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS assignments (annotator_id TEXT NOT NULL REFERENCES annotators(id),"
                    + " pair_id TEXT NOT NULL REFERENCES pairs(pair_id), a_on_left INTEGER NOT NULL, shown_at TEXT NOT NULL,"
                    + " PRIMARY KEY (annotator_id, pair_id))",
            "CREATE TABLE IF NOT EXISTS judgments (annotator_id TEXT NOT NULL REFERENCES annotators(id),"
                    + " pair_id TEXT NOT NULL REFERENCES pairs(pair_id), a_on_left INTEGER NOT NULL, helpfulness TEXT NOT NULL,"
                    + " honesty TEXT NOT NULL, harmlessness TEXT NOT NULL, created_at TEXT NOT NULL,"
                    + " PRIMARY KEY (annotator_id, pair_id))");

    /** A signed-in browser: who it is and the token its state-changing requests must carry in a header. */
    public record Session(String annotatorId, String annotatorName, String csrfToken) {}

    /** A new session: the id for the cookie (never stored) and the session. */
    public record SignIn(String sessionId, Session session) {}

    /** An item as one annotator sees it. */
    public record Shown(Pair pair, boolean aOnLeft) {
        public String left() {
            return aOnLeft ? pair.answerA() : pair.answerB();
        }

        public String right() {
            return aOnLeft ? pair.answerB() : pair.answerA();
        }
    }

    /** One stored judgment with its pair, for export and results. */
    public record Judgment(Pair pair, String annotator, boolean aOnLeft, Verdict helpfulness, Verdict honesty,
            Verdict harmlessness, String createdAt) {
        public Verdict on(Criterion criterion) {
            return switch (criterion) {
                case HELPFULNESS -> helpfulness;
                case HONESTY -> honesty;
                case HARMLESSNESS -> harmlessness;
            };
        }
    }

    /** How long a sign-in lasts: a working day and then some; the token signs in again. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(16);

    private final Database db;
    /** One connection, used by one request at a time: annotation traffic is light and SQLite wants a single writer. */
    private Connection connection;

    private AnnotationStore(Database db) {
        this.db = db;
    }

    /** Opens the database, creating the tables if needed. */
    public static AnnotationStore open(Database db) {
        AnnotationStore store = new AnnotationStore(db);
        store.run(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
        return store;
    }

    /** Adds an annotator and returns their sign-in token, which exists nowhere else: only its hash is stored. */
    public String addAnnotator(String name) {
        if (name.isBlank()) {
            throw new BadInputException("an annotator needs a name");
        }
        String token = Tokens.random();
        boolean added = run(c -> update(c, "INSERT INTO annotators (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", Tokens.random(), name, Tokens.hash(token), now()) == 1);
        if (!added) {
            throw new BadInputException("an annotator named \"" + name + "\" already exists");
        }
        return token;
    }

    /**
     * Stores the items (new ones are added; known ones must be unchanged, since judgments refer to them) and
     * returns them in the same order.
     */
    public List<Pair> loadPairs(List<Pair> pairs) {
        transaction(c -> {
            for (Pair p : pairs) {
                update(c, "INSERT INTO pairs (pair_id, question_id, category, question, model_a, answer_a, model_b, answer_b)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", p.pairId(), Json.line(p.questionId()),
                        p.category(), p.question(), p.modelA(), p.answerA(), p.modelB(), p.answerB());
                Pair stored = pair(c, p.pairId()).orElseThrow();
                if (!stored.equals(p)) {
                    throw new BadInputException("pair \"" + p.pairId() + "\" differs from the one already in the database;"
                            + " judgments refer to it, so use a new database (or new pair ids) for different items");
                }
            }
            return null;
        });
        return List.copyOf(pairs);
    }

    public Optional<SignIn> signIn(String token) {
        return run(c -> {
            Optional<String[]> annotator = first(c, "SELECT id, name FROM annotators WHERE token_hash = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, Tokens.hash(token));
            if (annotator.isEmpty()) {
                return Optional.empty();
            }
            String sessionId = Tokens.random();
            String csrf = Tokens.random();
            update(c, "INSERT INTO sessions (id_hash, annotator_id, csrf_token, created_at) VALUES (?, ?, ?, ?)",
                    Tokens.hash(sessionId), annotator.get()[0], csrf, now());
            return Optional.of(new SignIn(sessionId, new Session(annotator.get()[0], annotator.get()[1], csrf)));
        });
    }

    /** The session of a cookie, if it exists and is younger than {@link #SESSION_LIFETIME}. */
    public Optional<Session> session(String sessionId) {
        Instant oldest = Instant.now().minus(SESSION_LIFETIME);
        return run(c -> first(c, "SELECT s.annotator_id, a.name, s.csrf_token, s.created_at FROM sessions s"
                + " JOIN annotators a ON a.id = s.annotator_id WHERE s.id_hash = ?",
                rs -> Instant.parse(rs.getString(4)).isBefore(oldest) ? null : new Session(rs.getString(1), rs.getString(2), rs.getString(3)),
                Tokens.hash(sessionId)));
    }

    public void signOut(String sessionId) {
        run(c -> update(c, "DELETE FROM sessions WHERE id_hash = ?", Tokens.hash(sessionId)));
    }

    /** How many of {@code pairs} the annotator has judged. */
    public int judgedCount(String annotatorId, List<Pair> pairs) {
        Set<String> judged = judgedPairIds(annotatorId);
        return (int) pairs.stream().filter(p -> judged.contains(p.pairId())).count();
    }

    /**
     * The item the annotator is to judge: one shown earlier and not yet judged, else the next unjudged one in an
     * order of their own (so that annotators who stop early still cover different items), with a side drawn for
     * model A's answer. Empty when everything is judged.
     */
    public Optional<Shown> nextItem(String annotatorId, List<Pair> pairs) {
        return run(c -> {
            Set<String> judged = judgedPairIds(c, annotatorId);
            List<Pair> open = pairs.stream().filter(p -> !judged.contains(p.pairId())).toList();
            if (open.isEmpty()) {
                return Optional.empty();
            }
            Set<String> assigned = new HashSet<>(all(c, "SELECT pair_id FROM assignments WHERE annotator_id = ?",
                    rs -> rs.getString(1), annotatorId));
            Pair next = open.stream().filter(p -> assigned.contains(p.pairId())).findFirst()
                    .orElseGet(() -> open.stream().min(Comparator.comparing(p -> Tokens.hash(annotatorId + "/" + p.pairId()))).orElseThrow());
            update(c, "INSERT INTO assignments (annotator_id, pair_id, a_on_left, shown_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    annotatorId, next.pairId(), Tokens.coin() ? 1 : 0, now());
            return Optional.of(new Shown(next, aOnLeft(c, annotatorId, next.pairId()).orElseThrow()));
        });
    }

    /**
     * Stores a judgment given as the annotator saw it (left, right or tie per criterion). Returns false, storing
     * nothing, when the annotator already judged this item (a double submit).
     */
    public boolean submit(String annotatorId, String pairId, String helpfulness, String honesty, String harmlessness) {
        return run(c -> {
            boolean aOnLeft = aOnLeft(c, annotatorId, pairId)
                    .orElseThrow(() -> new BadInputException("item \"" + pairId + "\" was not shown to this annotator"));
            return update(c, "INSERT INTO judgments (annotator_id, pair_id, a_on_left, helpfulness, honesty, harmlessness, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", annotatorId, pairId, aOnLeft ? 1 : 0,
                    Verdict.fromScreen(helpfulness, aOnLeft).key(), Verdict.fromScreen(honesty, aOnLeft).key(),
                    Verdict.fromScreen(harmlessness, aOnLeft).key(), now()) == 1;
        });
    }

    /** Every judgment with its pair and annotator, oldest first. */
    public List<Judgment> judgments() {
        return run(c -> all(c, "SELECT p.pair_id, p.question_id, p.category, p.question, p.model_a, p.answer_a, p.model_b, p.answer_b,"
                + " a.name, j.a_on_left, j.helpfulness, j.honesty, j.harmlessness, j.created_at FROM judgments j"
                + " JOIN pairs p ON p.pair_id = j.pair_id JOIN annotators a ON a.id = j.annotator_id"
                + " ORDER BY j.created_at, a.name, p.pair_id",
                rs -> new Judgment(pairOf(rs), rs.getString(9), rs.getInt(10) == 1, Verdict.ofKey(rs.getString(11)),
                        Verdict.ofKey(rs.getString(12)), Verdict.ofKey(rs.getString(13)), rs.getString(14))));
    }

    /** Streams every judgment as an export row. */
    public void export(Consumer<ObjectNode> sink) {
        for (Judgment j : judgments()) {
            ObjectNode row = Json.object();
            row.put("pair_id", j.pair().pairId());
            row.set("question_id", j.pair().questionId());
            row.put("category", j.pair().category());
            row.put("annotator", j.annotator());
            row.put("model_a", j.pair().modelA());
            row.put("model_b", j.pair().modelB());
            row.put("left", j.aOnLeft() ? "A" : "B");
            for (Criterion criterion : Criterion.values()) {
                row.put(criterion.key(), j.on(criterion).key());
            }
            row.put("created_at", j.createdAt());
            sink.accept(row);
        }
    }

    private Set<String> judgedPairIds(String annotatorId) {
        return run(c -> judgedPairIds(c, annotatorId));
    }

    private static Set<String> judgedPairIds(Connection c, String annotatorId) throws SQLException {
        return new HashSet<>(all(c, "SELECT pair_id FROM judgments WHERE annotator_id = ?", rs -> rs.getString(1), annotatorId));
    }

    private static Optional<Boolean> aOnLeft(Connection c, String annotatorId, String pairId) throws SQLException {
        return first(c, "SELECT a_on_left FROM assignments WHERE annotator_id = ? AND pair_id = ?", rs -> rs.getInt(1) == 1,
                annotatorId, pairId);
    }

    private static Optional<Pair> pair(Connection c, String pairId) throws SQLException {
        return first(c, "SELECT pair_id, question_id, category, question, model_a, answer_a, model_b, answer_b FROM pairs"
                + " WHERE pair_id = ?", AnnotationStore::pairOf, pairId);
    }

    private static Pair pairOf(ResultSet rs) throws SQLException {
        return new Pair(rs.getString(1), parse(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt question id in the database: " + json, e);
        }
    }

    private static String now() {
        return Instant.now().toString();
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private synchronized <T> T run(Work<T> work) {
        try {
            return work.apply(connection());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs {@code work} as one transaction: all of it is stored, or none. */
    private synchronized <T> T transaction(Work<T> work) {
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The open connection, reopened when a PostgreSQL server dropped it (a restart, an idle timeout). */
    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed() || (db.postgres() && !connection.isValid(5))) {
            close();
            connection = db.connect();
        }
        return connection;
    }

    private IllegalStateException failure(SQLException e) {
        return new IllegalStateException("database " + db.describe() + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped; nothing is left to save through it
            }
            connection = null;
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, args)) {
            return statement.executeUpdate();
        }
    }

    /** The first row, read by {@code reader}; empty when there is none or the reader rejects it (null). */
    private static <T> Optional<T> first(Connection c, String sql, RowReader<T> reader, Object... args) throws SQLException {
        List<T> rows = all(c, sql, reader, args);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private static <T> List<T> all(Connection c, String sql, RowReader<T> reader, Object... args) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, args); ResultSet rs = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(reader.read(rs));
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
