package org.instruct4j.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.Location;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;

/**
 * One row of SFT data as a conversation: an optional system prompt, then user and assistant turns in turn, ending with
 * the assistant's reply. Three row shapes are read, from JSON or JSONL:
 * <ul>
 *   <li>ShareGPT / FastChat / Vicuna {@code {conversations: [{from, value}], system?}}, {@code from} one of human, gpt
 *       (or user, assistant, chatgpt, bard, bing, model) and system;</li>
 *   <li>OpenAI / Hugging Face {@code {messages: [{role, content}]}}, role system, user or assistant;</li>
 *   <li>Alpaca {@code {instruction, input, output}}: one user turn ({@link PromptFormat#instruction}) and the reply.</li>
 * </ul>
 * Errors name the file, the row and the turn ({@code data.jsonl:4: field "conversations[2].from": ...}). {@code field}
 * is the array the turns came from (null for an Alpaca row) and {@code firstElement} the turn that is its first element
 * (1 after a row-level system prompt).
 */
public record Conversation(List<Turn> turns, Location location, String field, int firstElement) {
    private static final Map<String, String> SHAREGPT_SPEAKERS = Map.of("human", Turn.USER, "user", Turn.USER, "gpt", Turn.ASSISTANT,
            "assistant", Turn.ASSISTANT, "chatgpt", Turn.ASSISTANT, "bard", Turn.ASSISTANT, "bing", Turn.ASSISTANT, "model",
            Turn.ASSISTANT, "system", Turn.SYSTEM);
    private static final Map<String, String> OPENAI_ROLES = Map.of(Turn.SYSTEM, Turn.SYSTEM, Turn.USER, Turn.USER, Turn.ASSISTANT,
            Turn.ASSISTANT);

    /** The row as a conversation; an Alpaca row's instruction is asked as {@code format} asks it. */
    public static Conversation read(JsonRow row, PromptFormat format) {
        if (row.node().has("conversations")) {
            return turns(row, new Shape("conversations", "from", "value", SHAREGPT_SPEAKERS,
                    "human, gpt or system"), row.optionalString("system", ""));
        }
        if (row.node().has("messages")) {
            return turns(row, new Shape("messages", "role", "content", OPENAI_ROLES, "system, user or assistant"), "");
        }
        AlpacaExample example = AlpacaExample.fromJson(row);
        return new Conversation(List.of(format.instruction(example.instruction(), example.input()), Turn.assistant(example.output())),
                row.location(), null, 0);
    }

    /** The name of turn {@code i} in errors: {@code conversations[i]}, or the row's output for an Alpaca row. */
    public String turnField(int i) {
        if (field == null) {
            return i == 0 ? "instruction" : "output";
        }
        return i < firstElement ? "system" : field + "[" + (i - firstElement) + "]";
    }

    /** Positions of the assistant's replies in {@link #turns}. */
    public List<Integer> replies() {
        List<Integer> replies = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).role().equals(Turn.ASSISTANT)) {
                replies.add(i);
            }
        }
        return replies;
    }

    private record Shape(String field, String roleField, String contentField, Map<String, String> roles, String expected) {}

    private static Conversation turns(JsonRow row, Shape shape, String system) {
        int size = row.arraySize(shape.field(), true);
        List<Turn> turns = new ArrayList<>();
        if (!system.isEmpty()) {
            turns.add(Turn.system(system));
        }
        for (int i = 0; i < size; i++) {
            JsonRow element = row.element(shape.field(), i);
            String name = element.string(shape.roleField());
            String role = shape.roles().get(name);
            if (role == null) {
                throw element.error(shape.roleField(), "unknown " + shape.roleField() + " \"" + name + "\"; expected " + shape.expected());
            }
            String expected = turns.isEmpty() ? null : turns.getLast().role().equals(Turn.USER) ? Turn.ASSISTANT : Turn.USER;
            if (role.equals(Turn.SYSTEM) && !turns.isEmpty()) {
                throw element.error(shape.roleField(), "a system prompt can only be the first turn");
            }
            if (expected != null && !role.equals(expected)) {
                throw element.error(shape.roleField(), "expected a turn of the " + expected + " (user and assistant take turns), got \""
                        + name + "\"");
            }
            if (expected == null && role.equals(Turn.ASSISTANT)) {
                throw element.error(shape.roleField(), "the conversation must begin with the user (after an optional system prompt)");
            }
            turns.add(new Turn(role, element.string(shape.contentField())));
        }
        if (!turns.getLast().role().equals(Turn.ASSISTANT)) {
            throw row.error(shape.field() + "[" + (size - 1) + "]", "the conversation must end with the assistant's reply");
        }
        return new Conversation(List.copyOf(turns), row.location(), shape.field(), system.isEmpty() ? 0 : 1);
    }
}
