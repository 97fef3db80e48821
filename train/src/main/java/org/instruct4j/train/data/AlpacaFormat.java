package org.instruct4j.train.data;

import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.model.tokenizer.Tokenizer;

/** The paper's format: the Alpaca prompt, the response right after "### Response:". */
public record AlpacaFormat(Tokenizer tokenizer) implements PromptFormat {
    @Override
    public String prompt(AlpacaExample example) {
        return AlpacaPrompt.render(example.instruction(), example.input());
    }

    @Override
    public String promptAndResponse(AlpacaExample example) {
        return prompt(example) + example.output();
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        return tokenizer.encode(text, addBos);
    }
}
