package org.instruct4j.teacher.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.instruct4j.core.data.UnnaturalAnswer;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * GPT-4-LLM's Unnatural Instructions answers: the teacher answers every instance of the core set with
 * the Alpaca template; the original output is kept as the reference {@code label} for ROUGE-L.
 * Reads {@code core_data.jsonl} rows {@code {instruction, instances[...]}} (item id "row.k", one per
 * instance), or rows already in the answer format {@code {instruction, input, output, label}} to
 * re-answer them with another teacher. Output rows: {@code {id, instruction, input, output, label, model, truncated}}.
 */
public final class UnnaturalTask implements GenerationTask<UnnaturalTask.Example> {
    /** One instance to answer. */
    public record Example(String id, String instruction, String input, String label) {}

    private final Path file;
    private final long limit;
    private final String model;
    private final Sampling sampling;

    private UnnaturalTask(Path file, long limit, String model, Sampling sampling) {
        this.file = file;
        this.limit = limit;
        this.model = model;
        this.sampling = sampling;
    }

    /** Validates the whole file (and id uniqueness) before any request; {@code limit} caps the examples (0 = all). */
    public static UnnaturalTask open(Path file, long limit, String model, Sampling sampling) {
        UnnaturalTask task = new UnnaturalTask(file, limit, model, sampling);
        Set<String> ids = new HashSet<>();
        try (Stream<Example> examples = task.examples()) {
            examples.forEach(example -> {
                if (!ids.add(example.id())) {
                    throw new BadInputException(file + ": duplicate example id \"" + example.id() + "\"");
                }
            });
        }
        return task;
    }

    private Stream<Example> examples() {
        Stream<Example> all = JsonRows.stream(file).flatMap(UnnaturalTask::examplesOf);
        return limit > 0 ? all.limit(limit) : all;
    }

    private static Stream<Example> examplesOf(JsonRow row) {
        if (!row.node().has("instances")) {
            UnnaturalAnswer answer = UnnaturalAnswer.fromJson(row);
            return Stream.of(new Example(answer.id(), answer.instruction(), answer.input(), answer.label()));
        }
        var task = org.instruct4j.core.data.UnnaturalTask.fromJson(row);
        List<org.instruct4j.core.data.UnnaturalTask.Instance> instances = task.instances();
        return IntStream.range(0, instances.size()).mapToObj(k -> new Example(
                task.id() + "." + k, task.instruction(), instances.get(k).input(), instances.get(k).output()));
    }

    @Override
    public String name() {
        return "unnatural";
    }

    @Override
    public Stream<WorkItem<Example>> items() {
        return examples().map(example -> new WorkItem<>(example.id(), new ChatCall(model,
                List.of(ChatMessage.user(AlpacaPrompt.render(example.instruction(), example.input()))), sampling), example));
    }

    @Override
    public ObjectNode toRow(WorkItem<Example> item, ChatReply reply) {
        ObjectNode row = Json.object();
        row.put("id", item.id());
        row.put("instruction", item.source().instruction());
        row.put("input", item.source().input());
        row.put("output", reply.content().strip());
        row.put("label", item.source().label());
        row.put("model", reply.model());
        row.put("truncated", reply.truncated());
        return row;
    }
}
