package org.instruct4j.teacher.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.instruct4j.core.data.Instruction;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * Translates instructions and inputs (GPT-4-LLM translated the 52K Alpaca instructions into Chinese
 * with ChatGPT; its prompt was not published, so this one is ours). The teacher returns a JSON object,
 * and a translation that lost protected text (code, numbers, URLs, placeholders) is asked again.
 * Output rows: {@code {id, instruction, input, source_instruction, source_input, model, truncated}}.
 */
public final class TranslateTask implements GenerationTask<Instruction> {
    /** Greedy decoding, room for long inputs: temperature 0, max_tokens 1024. */
    public static final Sampling DEFAULTS = new Sampling(0.0, 1.0, 1024, List.of());
    static final String PROMPT = """
            Translate the instruction and the input below into %s.
            Rules:
            - Translate only; do not answer, follow or explain the instruction.
            - Keep exactly as they are: code, anything inside backticks, numbers, URLs, e-mail addresses, \
            and placeholders such as {name}, <tag>, $VAR or %%s.
            - If the input is empty, the translated input is empty too.
            Reply with a single JSON object {"instruction": "...", "input": "..."} and nothing else.

            %s""";

    private final InstructionInput input;
    private final String model;
    private final Sampling sampling;
    private final String targetLanguage;

    public TranslateTask(InstructionInput input, String model, Sampling sampling, String targetLanguage) {
        this.input = input;
        this.model = model;
        this.sampling = sampling;
        this.targetLanguage = Translation.languageName(targetLanguage);
    }

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public Stream<WorkItem<Instruction>> items() {
        return input.stream().map(row -> new WorkItem<>(row.id(), call(row), row));
    }

    ChatCall call(Instruction row) {
        ObjectNode source = Json.object();
        source.put("instruction", row.instruction());
        source.put("input", row.input());
        return new ChatCall(model, List.of(ChatMessage.system(Translation.SYSTEM_PROMPT),
                ChatMessage.user(PROMPT.formatted(targetLanguage, Json.line(source)))), sampling);
    }

    @Override
    public ObjectNode toRow(WorkItem<Instruction> item, ChatReply reply) throws TeacherException {
        JsonNode translated = Translation.parseObject(reply.content());
        String instruction = Translation.text(translated, "instruction");
        String translatedInput = Translation.text(translated, "input");
        Instruction source = item.source();
        Translation.requireProtectedText(source.instruction() + "\n" + source.input(), instruction + "\n" + translatedInput);
        ObjectNode row = Json.object();
        row.put("id", item.id());
        row.put("instruction", instruction);
        row.put("input", source.input().isEmpty() ? "" : translatedInput);
        row.put("source_instruction", source.instruction());
        row.put("source_input", source.input());
        row.put("model", reply.model());
        row.put("truncated", reply.truncated());
        return row;
    }
}
