package org.instruct4j.eval.judge;

import java.util.List;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.Sampling;

/** One filled-in judge request: FastChat's system prompt and user prompt, the reviewer it came from, the sampling. */
public record JudgePrompt(String reviewerId, String systemPrompt, String userPrompt, Sampling sampling) {

    /** The chat request FastChat makes: the system message, then the user message. */
    public ChatCall call(String judgeModel) {
        return new ChatCall(judgeModel, List.of(ChatMessage.system(systemPrompt), ChatMessage.user(userPrompt)), sampling);
    }
}
