package org.instruct4j.train.data;

import java.util.Arrays;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;

/**
 * Tokenizes examples as stanford_alpaca's train.py does: the prompt and the prompt + response are tokenized
 * (BOS first), the prompt's tokens are masked out of the loss and EOS is appended, so the model learns to
 * stop; the whole is cut at {@code maxLength}. Where the tokenizer merges across the prompt/response
 * boundary, only the tokens the two encodings share are masked, so no response token is ever masked. A chat
 * template that ends the reply with EOS itself gets no second one; what it renders after that EOS is dropped.
 */
public final class ExampleEncoder {
    private final PromptFormat format;
    private final int eosId;
    private final int maxLength;

    public ExampleEncoder(PromptFormat format, int eosId, int maxLength) {
        if (eosId < 0) {
            throw new BadInputException("the tokenizer has no EOS token; the model could not learn to stop");
        }
        this.format = format;
        this.eosId = eosId;
        this.maxLength = maxLength;
    }

    /** The encoder a run asks for: its template (with the base's chat template for chat) and length limit. */
    public static ExampleEncoder of(Settings settings, Tokenizer tokenizer) {
        return new ExampleEncoder(PromptFormats.of(settings.get(TrainingSettings.TEMPLATE), tokenizer,
                settings.get(TrainingSettings.BASE), settings.get(TrainingSettings.TOKENIZER)),
                tokenizer.eosId(), settings.get(TrainingSettings.MAX_LENGTH));
    }

    public EncodedExample encode(AlpacaExample example, long row) {
        int[] prompt = format.encode(format.prompt(example), true);
        int[] full = format.encode(format.promptAndResponse(example), true);
        int shared = 0;
        while (shared < Math.min(prompt.length, full.length) && prompt[shared] == full[shared]) {
            shared++;
        }
        int end = shared;
        while (end < full.length && full[end] != eosId) {
            end++;
        }
        int[] tokens;
        if (end < full.length) {
            tokens = Arrays.copyOf(full, end + 1); // a chat template closed the reply with EOS: train up to it
        } else {
            tokens = Arrays.copyOf(full, full.length + 1);
            tokens[full.length] = eosId;
        }
        boolean truncated = tokens.length > maxLength;
        if (truncated) {
            tokens = Arrays.copyOf(tokens, maxLength);
        }
        return new EncodedExample(tokens, Math.min(shared, tokens.length), truncated, row);
    }
}
