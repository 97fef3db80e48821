package org.instruct4j.eval.judge;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.Sampling;

/** One filled-in judge request: FastChat's system prompt and user prompt, the reviewer or prompt it came from, the sampling. */
public record JudgePrompt(String reviewerId, String systemPrompt, String userPrompt, Sampling sampling) {

    /**
     * The chat request FastChat makes: the system message, then the user message. An empty system prompt is left out,
     * as FastChat's {@code Conversation.to_openai_api_messages} leaves it out.
     */
    public ChatCall call(String judgeModel) {
        List<ChatMessage> messages = new ArrayList<>(2);
        if (!systemPrompt.isEmpty()) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        messages.add(ChatMessage.user(userPrompt));
        return new ChatCall(judgeModel, messages, sampling);
    }
}
