package org.instruct4j.core.prompt;

import java.util.List;
import java.util.Optional;
import org.instruct4j.core.io.BadInputException;

/**
 * The Alpaca prompt template (stanford_alpaca {@code PROMPT_DICT}), used by GPT-4-LLM both to ask the
 * teacher and to fine-tune the student. The strings are exact, including the newlines.
 */
public final class AlpacaPrompt {
    public static final String WITH_INPUT = "Below is an instruction that describes a task, paired with an input that provides "
            + "further context. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\n%s\n\n### Input:\n%s\n\n### Response:";
    public static final String WITHOUT_INPUT = "Below is an instruction that describes a task. Write a response that "
            + "appropriately completes the request.\n\n### Instruction:\n%s\n\n### Response:";

    private AlpacaPrompt() {}

    /** The prompt for an instruction; a blank input selects the no-input variant, as Alpaca does. */
    public static String render(String instruction, String input) {
        if (input == null || input.isEmpty()) {
            return WITHOUT_INPUT.formatted(instruction);
        }
        return WITH_INPUT.formatted(instruction, input);
    }

    /**
     * A conversation as one Alpaca prompt, for models fine-tuned on single Alpaca turns: the last user message is the
     * instruction (a message that already is an Alpaca prompt gives its own instruction and input), system messages
     * go before the instruction, and earlier turns become the input as a transcript ("User: ...", "Assistant: ...").
     */
    public static String renderConversation(List<Turn> turns) {
        int last = -1;
        for (int i = turns.size() - 1; i >= 0 && last < 0; i--) {
            last = turns.get(i).role().equals(Turn.USER) ? i : -1;
        }
        if (last < 0) {
            throw new BadInputException("the conversation has no user message");
        }
        StringBuilder system = new StringBuilder();
        StringBuilder transcript = new StringBuilder();
        for (int i = 0; i < turns.size(); i++) {
            Turn turn = turns.get(i);
            if (i == last) {
                continue;
            }
            switch (turn.role()) {
                case Turn.SYSTEM -> system.append(turn.content()).append("\n\n");
                case Turn.USER -> transcript.append("User: ").append(turn.content()).append('\n');
                default -> transcript.append("Assistant: ").append(turn.content()).append('\n');
            }
        }
        String user = turns.get(last).content();
        Parts parts = parse(user).orElse(new Parts(user, ""));
        String input = transcript.isEmpty() ? parts.input()
                : (transcript + (parts.input().isEmpty() ? "" : "\n" + parts.input())).strip();
        return render(system + parts.instruction(), input);
    }

    /** An instruction and its input (empty when there is none), as read back from a rendered prompt. */
    public record Parts(String instruction, String input) {}

    /** The instruction and input of a prompt {@link #render} made, or empty when {@code prompt} is not one. */
    public static Optional<Parts> parse(String prompt) {
        String withInputHead = WITH_INPUT.substring(0, WITH_INPUT.indexOf("%s"));
        String withoutInputHead = WITHOUT_INPUT.substring(0, WITHOUT_INPUT.indexOf("%s"));
        String tail = "\n\n### Response:";
        if (!prompt.endsWith(tail)) {
            return Optional.empty();
        }
        String body = prompt.substring(0, prompt.length() - tail.length());
        if (body.startsWith(withInputHead)) {
            String rest = body.substring(withInputHead.length());
            int split = rest.lastIndexOf("\n\n### Input:\n");
            return split < 0 ? Optional.empty()
                    : Optional.of(new Parts(rest.substring(0, split), rest.substring(split + "\n\n### Input:\n".length())));
        }
        if (body.startsWith(withoutInputHead)) {
            return Optional.of(new Parts(body.substring(withoutInputHead.length()), ""));
        }
        return Optional.empty();
    }
}
