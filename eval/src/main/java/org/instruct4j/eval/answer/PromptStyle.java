package org.instruct4j.eval.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.teacher.client.ChatMessage;

/** How a question is put to the model under test. */
public enum PromptStyle {
    /** FastChat's API baseline ({@code qa_baseline_gpt35.py}): the system message "You are a helpful assistant.", then the question. */
    CHAT,
    /** The Alpaca template as the only message: how GPT-4-LLM's LLaMA students were trained and prompted. */
    ALPACA,
    /** The question alone, for servers that apply their own chat template and system prompt. */
    PLAIN;

    public static final String FASTCHAT_SYSTEM_PROMPT = "You are a helpful assistant.";

    public static PromptStyle parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown --prompt-style '" + name + "'; expected chat, alpaca or plain");
        }
    }

    public List<ChatMessage> messages(EvalQuestion question) {
        List<ChatMessage> messages = new ArrayList<>(2);
        switch (this) {
            case CHAT -> {
                messages.add(ChatMessage.system(FASTCHAT_SYSTEM_PROMPT));
                messages.add(ChatMessage.user(question.text()));
            }
            case ALPACA -> messages.add(ChatMessage.user(AlpacaPrompt.render(question.instruction(), question.input())));
            case PLAIN -> messages.add(ChatMessage.user(question.text()));
        }
        return messages;
    }
}
