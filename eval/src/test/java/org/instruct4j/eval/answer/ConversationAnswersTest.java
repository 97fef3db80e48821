package org.instruct4j.eval.answer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.eval.judge.FastChatRendered;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.SamplingOverrides;
import org.instruct4j.teacher.tasks.Language;
import org.junit.jupiter.api.Test;

/** Two-turn answers ask what FastChat's gen_api_answer.py asks ({@code fastchat/rendered_answer_calls.jsonl}). */
class ConversationAnswersTest {
    private static final AnswerSampling SAMPLING = new AnswerSampling(AnswerSampling.FASTCHAT_DEFAULTS, new SamplingOverrides(null, null, null));

    @Test
    void everyTurnIsAskedWithTheConversationSoFarAtTheCategorysTemperature() {
        for (JsonNode fastChat : FastChatRendered.rows("rendered_answer_calls.jsonl")) {
            EvalQuestion question = FastChatRendered.question(fastChat.get("question_id"));
            JsonNode calls = fastChat.get("calls");
            assertThat(calls).hasSize(2);
            ChatCall first = new ChatCall("gpt-3.5-turbo", QuestionMessages.of(PromptFormat.CHAT, question, List.of(), Language.EN), SAMPLING.forQuestion(question));
            assertThat(FastChatRendered.recorded(first, calls.get(0))).isEqualTo(calls.get(0));
            String firstReply = calls.get(1).get("messages").get(2).get("content").asText();
            ChatCall second = new ChatCall("gpt-3.5-turbo", QuestionMessages.of(PromptFormat.CHAT, question, List.of(firstReply), Language.EN),
                    SAMPLING.forQuestion(question));
            assertThat(FastChatRendered.recorded(second, calls.get(1))).isEqualTo(calls.get(1));
        }
    }

    @Test
    void alpacaStyleAsksLaterTurnsWithTheEarlierOnesAsInput() {
        EvalQuestion question = FastChatRendered.QUESTIONS.get(1);
        var messages = QuestionMessages.of(PromptFormat.ALPACA, question, List.of("Second place."), Language.EN);
        assertThat(messages).singleElement().satisfies(m -> assertThat(m.content()).isEqualTo(
                org.instruct4j.core.prompt.AlpacaPrompt.render(question.turns().get(1),
                        "User: " + question.turns().get(0) + "\nAssistant: Second place.")));
        assertThat(QuestionMessages.of(PromptFormat.RAW, question, List.of(), Language.ZH).get(0).content()).contains("Simplified Chinese");
        assertThat(QuestionMessages.of(PromptFormat.CHAT, question, List.of(), Language.ZH).get(0).content())
                .startsWith("You are a helpful assistant. Always answer in Simplified Chinese");
    }
}
