package org.instruct4j.teacher.tasks;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.instruct4j.core.data.Instruction;
import org.instruct4j.core.io.JsonRows;

/**
 * An instruction file (Alpaca JSON array or JSONL) read as a job's input: validated once up front
 * (bad rows and duplicate ids fail before anything is written), then streamed on demand.
 */
public final class InstructionInput {
    private final Path file;
    private final long limit;
    private final long rows;

    private InstructionInput(Path file, long limit, long rows) {
        this.file = file;
        this.limit = limit;
        this.rows = rows;
    }

    /** Validates {@code file}; {@code limit} keeps only the first rows (0 = all). */
    public static InstructionInput open(Path file, long limit) {
        Set<String> ids = new HashSet<>();
        long count = 0;
        try (JsonRows it = JsonRows.open(file)) {
            while (it.hasNext() && (limit <= 0 || count < limit)) {
                var row = it.next();
                Instruction instruction = Instruction.fromJson(row);
                if (!ids.add(instruction.id())) {
                    throw row.error("id", "duplicate id \"" + instruction.id() + "\"; every row needs its own id");
                }
                count++;
            }
        }
        return new InstructionInput(file, limit, count);
    }

    public Stream<Instruction> stream() {
        Stream<Instruction> all = JsonRows.stream(file).map(Instruction::fromJson);
        return limit > 0 ? all.limit(limit) : all;
    }

    public long rows() {
        return rows;
    }

    public Path file() {
        return file;
    }
}
