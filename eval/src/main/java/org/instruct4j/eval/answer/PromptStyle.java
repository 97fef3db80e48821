package org.instruct4j.eval.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.Language;

/** How a question, and the conversation so far, is put to the model under test. */
public enum PromptStyle {
    /**
     * FastChat's API baseline ({@code gen_api_answer.py}, {@code qa_baseline_gpt35.py}): the system message "You are a
     * helpful assistant.", then the user's turns with the model's earlier answers between them.
     */
    CHAT,
    /**
     * The Alpaca template as the only message: how GPT-4-LLM's LLaMA students were trained and prompted. Later turns
     * of a conversation are asked with the earlier ones as the Alpaca input ({@link AlpacaPrompt#renderConversation}).
     */
    ALPACA,
    /** The conversation without a system message, for servers that apply their own chat template and system prompt. */
    PLAIN;

    public static final String FASTCHAT_SYSTEM_PROMPT = "You are a helpful assistant.";

    public static PromptStyle parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown --prompt-style '" + name + "'; expected chat, alpaca or plain");
        }
    }

    /** The request for the first turn of {@code question}. */
    public List<ChatMessage> messages(EvalQuestion question, Language language) {
        return messages(question, List.of(), language);
    }

    /**
     * The request for turn {@code earlierAnswers.size() + 1} of {@code question}: the user's turns so far with the
     * model's own answers to the earlier ones. {@link Language#ZH} asks for the answer in Chinese in the system message.
     */
    public List<ChatMessage> messages(EvalQuestion question, List<String> earlierAnswers, Language language) {
        List<String> turns = question.turns();
        int turn = earlierAnswers.size();
        if (turn >= turns.size()) {
            throw new IllegalArgumentException("question " + question.key() + " has " + turns.size() + " turn(s), not " + (turn + 1));
        }
        List<ChatMessage> messages = new ArrayList<>();
        String system = systemPrompt(language);
        if (this == ALPACA) {
            List<Turn> conversation = new ArrayList<>();
            if (!system.isEmpty()) {
                conversation.add(Turn.system(system));
            }
            for (int i = 0; i < turn; i++) {
                conversation.add(Turn.user(turns.get(i)));
                conversation.add(Turn.assistant(earlierAnswers.get(i)));
            }
            conversation.add(Turn.user(turn == 0 ? AlpacaPrompt.render(question.instruction(), question.input()) : turns.get(turn)));
            messages.add(ChatMessage.user(AlpacaPrompt.renderConversation(conversation)));
            return messages;
        }
        if (!system.isEmpty()) {
            messages.add(ChatMessage.system(system));
        }
        for (int i = 0; i < turn; i++) {
            messages.add(ChatMessage.user(turns.get(i)));
            messages.add(ChatMessage.assistant(earlierAnswers.get(i)));
        }
        messages.add(ChatMessage.user(turns.get(turn)));
        return messages;
    }

    private String systemPrompt(Language language) {
        String base = this == CHAT ? FASTCHAT_SYSTEM_PROMPT : "";
        if (language != Language.ZH) {
            return base;
        }
        return base.isEmpty() ? AnswerTask.CHINESE_SYSTEM_PROMPT : base + " " + AnswerTask.CHINESE_SYSTEM_PROMPT;
    }
}
