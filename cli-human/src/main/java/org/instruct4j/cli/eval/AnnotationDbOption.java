package org.instruct4j.cli.eval;

import org.instruct4j.eval.human.AnnotationStore;
import org.instruct4j.eval.human.Database;
import picocli.CommandLine.Option;

/** The --db option of the human-evaluation commands. */
final class AnnotationDbOption {
    @Option(names = "--db", defaultValue = "sqlite:annotations.db", paramLabel = "sqlite:FILE|jdbc:postgresql://...",
            description = "Where judgments are stored (default: ${DEFAULT-VALUE}); a PostgreSQL password is read from $"
                    + Database.PASSWORD_VARIABLE + ".")
    String db;

    Database database() {
        return Database.of(db);
    }

    AnnotationStore open() {
        return AnnotationStore.open(database());
    }
}
