package org.instruct4j.teacher.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.instruct4j.core.data.Instruction;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * GPT-4-LLM's instruction-following data: the teacher answers each instruction (+input) prompted with
 * the Alpaca template, as the user message. For Chinese data a system message asks for the answer in
 * Chinese (GPT-4-LLM answered Chinese-translated instructions in Chinese).
 * Output rows: {@code {id, instruction, input, output, model, truncated}}.
 */
public final class AnswerTask implements GenerationTask<Instruction> {
    public static final String CHINESE_SYSTEM_PROMPT = "Always answer in Simplified Chinese (简体中文), whatever the language of the instruction.";

    private final InstructionInput input;
    private final String model;
    private final Sampling sampling;
    private final Language language;

    public AnswerTask(InstructionInput input, String model, Sampling sampling, Language language) {
        this.input = input;
        this.model = model;
        this.sampling = sampling;
        this.language = language;
    }

    @Override
    public String name() {
        return "answers";
    }

    @Override
    public Stream<WorkItem<Instruction>> items() {
        return input.stream().map(row -> new WorkItem<>(row.id(), call(row), row));
    }

    ChatCall call(Instruction row) {
        List<ChatMessage> messages = new ArrayList<>(2);
        if (language == Language.ZH) {
            messages.add(ChatMessage.system(CHINESE_SYSTEM_PROMPT));
        }
        messages.add(ChatMessage.user(AlpacaPrompt.render(row.instruction(), row.input())));
        return new ChatCall(model, messages, sampling);
    }

    @Override
    public ObjectNode toRow(WorkItem<Instruction> item, ChatReply reply) {
        ObjectNode row = Json.object();
        row.put("id", item.id());
        row.put("instruction", item.source().instruction());
        row.put("input", item.source().input());
        row.put("output", reply.content().strip());
        row.put("model", reply.model());
        row.put("truncated", reply.truncated());
        return row;
    }
}
