package org.instruct4j.eval.answer;

import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.Language;

/**
 * How a question, and the conversation so far, is put to the model under test in each {@link PromptFormat}:
 * <ul>
 *   <li>chat: FastChat's API baseline ({@code gen_api_answer.py}, {@code qa_baseline_gpt35.py}), the system message
 *       "You are a helpful assistant.", then the user's turns with the model's earlier answers between them;</li>
 *   <li>alpaca: the Alpaca template as the only message, as GPT-4-LLM's LLaMA students were trained and prompted; later
 *       turns of a conversation are asked with the earlier ones as the Alpaca input
 *       ({@link AlpacaPrompt#renderConversation});</li>
 *   <li>raw: the conversation without a system message.</li>
 * </ul>
 * {@link Language#ZH} asks for the answer in Chinese in the system message (the Alpaca template puts it before the
 * instruction).
 */
public final class QuestionMessages {
    public static final String FASTCHAT_SYSTEM_PROMPT = "You are a helpful assistant.";

    private QuestionMessages() {}

    /** The request for turn {@code earlierAnswers.size() + 1} of {@code question}. */
    public static List<ChatMessage> of(PromptFormat format, EvalQuestion question, List<String> earlierAnswers, Language language) {
        List<String> turns = question.turns();
        int turn = earlierAnswers.size();
        if (turn >= turns.size()) {
            throw new IllegalArgumentException("question " + question.key() + " has " + turns.size() + " turn(s), not " + (turn + 1));
        }
        String system = systemPrompt(format, language);
        List<ChatMessage> messages = new ArrayList<>();
        if (format == PromptFormat.ALPACA) {
            List<Turn> conversation = new ArrayList<>();
            if (!system.isEmpty()) {
                conversation.add(Turn.system(system));
            }
            for (int i = 0; i < turn; i++) {
                conversation.add(Turn.user(turns.get(i)));
                conversation.add(Turn.assistant(earlierAnswers.get(i)));
            }
            conversation.add(turn == 0 ? format.instruction(question.instruction(), question.input()) : Turn.user(turns.get(turn)));
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

    private static String systemPrompt(PromptFormat format, Language language) {
        String base = format == PromptFormat.CHAT ? FASTCHAT_SYSTEM_PROMPT : "";
        if (language != Language.ZH) {
            return base;
        }
        return base.isEmpty() ? AnswerTask.CHINESE_SYSTEM_PROMPT : base + " " + AnswerTask.CHINESE_SYSTEM_PROMPT;
    }
}
