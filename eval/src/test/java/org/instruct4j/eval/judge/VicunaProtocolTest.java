package org.instruct4j.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import com.fasterxml.jackson.databind.node.IntNode;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.ModelAnswer;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VicunaProtocolTest {
    private static final String QUESTION = "Write a C++ program to find the nth Fibonacci number using recursion.";
    private static final String ANSWER_1 = "int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nUse {answer_2} {{x}} as is.";
    private static final String ANSWER_2 = "I cannot write code.";

    /** The bundled protocol files are FastChat's published files, byte for byte. */
    @ParameterizedTest
    @CsvSource({"vicuna_prompt.jsonl, fastchat/eval_table/prompt.jsonl",
        "vicuna_reviewer.jsonl, fastchat/eval_table/reviewer.jsonl",
        "judge_prompts.jsonl, fastchat/llm_judge/judge_prompts.jsonl"})
    void bundledFilesAreFastChatsFiles(String bundled, String published) throws IOException {
        try (InputStream in = VicunaProtocol.class.getResourceAsStream(bundled)) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(SharedData.path(published)));
        }
    }

    /**
     * The prompt of each category is FastChat's template filled with Python's str.format: built here from the
     * published prompt.jsonl by plain string concatenation, it must equal what the judge sends. Braces inside an answer
     * stay as they are; any other category gets the general prompt, as FastChat's gen_prompt falls back to reviewer 0.
     */
    @ParameterizedTest
    @CsvSource({"generic, 1, gpt-4-0328-default", "knowledge, 1, gpt-4-0328-default", "coding, 2, gpt-4-0328-coding",
        "math, 3, gpt-4-0328-math", "writing, 1, gpt-4-0328-default"})
    void promptOfEachCategoryIsFastChatsTemplateFilledIn(String category, int promptId, String reviewerId) throws IOException {
        JsonNode published = Json.MAPPER.readTree(Files.readAllLines(SharedData.path("fastchat/eval_table/prompt.jsonl")).get(promptId - 1));
        String expected = "[Question]\n" + QUESTION + "\n\n[The Start of Assistant 1's Answer]\n" + ANSWER_1
                + "\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n" + ANSWER_2
                + "\n\n[The End of Assistant 2's Answer]\n\n[System]\n" + published.get("defaults").get("prompt").asText() + "\n\n";

        JudgePrompt prompt = VicunaProtocol.fastChat().prompt(category, QUESTION, ANSWER_1, ANSWER_2);
        assertThat(prompt.userPrompt()).isEqualTo(expected);
        assertThat(prompt.systemPrompt()).isEqualTo("You are a helpful and precise assistant for checking the quality of the answer.");
        assertThat(prompt.reviewerId()).isEqualTo(reviewerId);
        assertThat(prompt.sampling().temperature()).isEqualTo(0.2);
        assertThat(prompt.sampling().maxTokens()).isEqualTo(1024);

        ChatCall call = prompt.call("gpt-4");
        assertThat(call.messages()).containsExactly(ChatMessage.system(prompt.systemPrompt()), ChatMessage.user(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"general", "coding", "math"})
    void userFilesGiveTheSameProtocolAsTheBundledOnes(String category) {
        VicunaProtocol fromFiles = VicunaProtocol.read(SharedData.path("fastchat/eval_table/prompt.jsonl"),
                SharedData.path("fastchat/eval_table/reviewer.jsonl"));
        assertThat(fromFiles.prompt(category, QUESTION, ANSWER_1, ANSWER_2))
                .isEqualTo(VicunaProtocol.fastChat().prompt(category, QUESTION, ANSWER_1, ANSWER_2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-v1"})
    void singleGradingUsesMtBenchsSingleV1Prompt(String name) throws IOException {
        JsonNode published = null;
        for (String line : Files.readAllLines(SharedData.path("fastchat/llm_judge/judge_prompts.jsonl"))) {
            JsonNode node = Json.MAPPER.readTree(line);
            if (node.get("name").asText().equals(name)) {
                published = node;
            }
        }
        String expected = published.get("prompt_template").asText().replace("{question}", QUESTION).replace("{answer}", ANSWER_2);
        EvalQuestion question = new EvalQuestion(IntNode.valueOf(1), QUESTION, "", "writing");
        ModelAnswer answer = new ModelAnswer("1", "", "m", List.of(ANSWER_2));
        JudgePrompt prompt = LlmJudgeProtocol.read(LlmJudgeProtocol.Kind.SINGLE, null, null)
                .single(question, 1, answer, LlmJudgeProtocol.FASTCHAT_SAMPLING);
        assertThat(prompt.userPrompt()).isEqualTo(expected).contains("Rating: [[5]]").endsWith("[The End of Assistant's Answer]");
        assertThat(prompt.systemPrompt()).isEqualTo("You are a helpful assistant.");
        assertThat(List.of(prompt.sampling().temperature(), (double) prompt.sampling().maxTokens())).containsExactly(0.0, 2048.0);
    }
}
