package org.instruct4j.train.data;

import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.chat.ChatTemplate.Message;
import org.instruct4j.model.chat.ChatTemplate;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * The model's own chat template instead of the Alpaca prompt: the instruction (and its input, after a blank
 * line) is the user's message and the output the assistant's reply. The template decides where BOS and the
 * end-of-turn token go; the prompt is the conversation rendered up to where the reply begins.
 */
public record ChatFormat(ChatTemplate template, Tokenizer tokenizer) implements PromptFormat {
    @Override
    public String prompt(AlpacaExample example) {
        return template.render(List.of(user(example)), true);
    }

    @Override
    public String promptAndResponse(AlpacaExample example) {
        String prompt = prompt(example);
        String full = template.render(List.of(user(example), new Message("assistant", example.output())), false);
        if (!full.startsWith(prompt)) {
            throw new BadInputException("the chat template renders the conversation with a reply differently from the"
                    + " prompt before the reply, so the prompt cannot be masked; use --template alpaca");
        }
        return full;
    }

    private static Message user(AlpacaExample example) {
        String content = example.input().isEmpty() ? example.instruction() : example.instruction() + "\n\n" + example.input();
        return new Message("user", content);
    }

    /** BOS comes from the template itself, as with transformers' apply_chat_template. */
    @Override
    public int[] encode(String text, boolean addBos) {
        return template.encode(text, tokenizer);
    }
}
