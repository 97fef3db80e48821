package org.instruct4j.core.prompt;

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
}
