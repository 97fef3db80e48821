package org.instruct4j.teacher.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.LineWriter;
import org.instruct4j.core.io.WriteFailure;

/**
 * The usage of the run in progress, written as it accrues: a first line that describes the run, then one line per
 * paid reply ({@code {"model", "prompt_tokens", "completion_tokens"}}), each a single write. The run folds it into
 * its metadata when it ends; after a {@code kill -9} the next run folds what the journal holds, so a killed run loses
 * at most the accounting of the requests that were in flight. Thread-safe.
 */
public final class UsageJournal implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final LineWriter lines;

    private UsageJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
        this.lines = new LineWriter(channel, file);
    }

    /** Starts a new journal at {@code file} (replacing any) whose first line is {@code run}. */
    public static UsageJournal start(Path file, ObjectNode run) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw WriteFailure.of("write", file, e);
        }
        UsageJournal journal = new UsageJournal(file, channel);
        journal.lines.append(Json.line(run));
        return journal;
    }

    public synchronized void record(String model, long promptTokens, long completionTokens) {
        lines.append(Json.line(Json.object().put("model", model).put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)));
    }

    /** The run a journal left behind describes, and what it recorded, added to {@code usage}. */
    public record Leftover(ObjectNode run, UsageMeter usage) {}

    /**
     * The journal a run left at {@code file} (it was killed, or its disk filled up), with its usage priced by
     * {@code prices}: its description and every complete line (the last one may have been cut by the kill).
     */
    public static Optional<Leftover> read(Path file, PriceTable prices) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Optional<JsonNode> first = lines.isEmpty() ? Optional.empty() : parse(lines.get(0));
        if (first.isEmpty() || !(first.get() instanceof ObjectNode run)) {
            return Optional.empty();
        }
        UsageMeter usage = new UsageMeter(prices, run.path("price_factor").asDouble(1.0));
        for (String text : lines.subList(1, lines.size())) {
            parse(text).ifPresent(line -> usage.add(line.path("model").asText(), 1, line.path("prompt_tokens").asLong(),
                    line.path("completion_tokens").asLong()));
        }
        return Optional.of(new Leftover(run, usage));
    }

    private static Optional<JsonNode> parse(String line) {
        try {
            return Optional.ofNullable(Json.MAPPER.readTree(line));
        } catch (IOException torn) {
            return Optional.empty();
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw WriteFailure.of("close", file, e);
        }
    }
}
