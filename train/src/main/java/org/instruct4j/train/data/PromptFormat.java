package org.instruct4j.train.data;

import org.instruct4j.core.data.AlpacaExample;

/** How an instruction-following example becomes a prompt and the text that follows it. */
public interface PromptFormat {
    /** The text the model sees before it answers. */
    String prompt(AlpacaExample example);

    /** The prompt followed by the response: what the model is trained on (EOS is added after it). */
    String promptAndResponse(AlpacaExample example);

    /** Token ids of {@code text}, with BOS first when {@code addBos}. */
    int[] encode(String text, boolean addBos);
}
