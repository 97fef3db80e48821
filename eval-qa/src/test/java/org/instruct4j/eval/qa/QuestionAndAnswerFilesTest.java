package org.instruct4j.eval.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestionAndAnswerFilesTest {
    @TempDir
    Path dir;

    @Test
    void vicunaQuestionsInBothFastChatFormatsAreTheSame() {
        List<EvalQuestion> table = QuestionFile.read(SharedData.path("fastchat/eval_table/question.jsonl"));
        List<EvalQuestion> llmJudge = QuestionFile.read(SharedData.path("fastchat/llm_judge/vicuna_bench/question.jsonl"));
        assertThat(table).hasSize(80);
        assertThat(table.stream().map(q -> List.of(q.key(), q.text(), q.category())).toList())
                .isEqualTo(llmJudge.stream().map(q -> List.of(q.key(), q.text(), q.category())).toList());
        assertThat(llmJudge).allMatch(q -> q.conversation() && q.turns().size() == 1);
        assertThat(table).noneMatch(EvalQuestion::conversation);
        assertThat(table.get(0).questionId().isInt()).isTrue();
        assertThat(table.stream().filter(q -> q.category().equals("math")).map(EvalQuestion::key)).containsExactly("68", "69", "70");
    }

    @Test
    void mtBenchQuestionsAreTwoTurnConversations() {
        List<EvalQuestion> mtBench = QuestionFile.read(SharedData.path("fastchat/llm_judge/mt_bench/question.jsonl"));
        assertThat(mtBench).hasSize(80).allMatch(q -> q.turns().size() == 2);
        assertThat(mtBench.get(0).text()).startsWith("Compose an engaging travel blog post about a recent trip to Hawaii");
        assertThat(mtBench.get(0).turns().get(1)).isEqualTo("Rewrite your previous response. Start every sentence with the letter A.");
        assertThat(mtBench.get(0).category()).isEqualTo("writing");

        AnswerFile references = AnswerFile.read(SharedData.path("fastchat/llm_judge/mt_bench/reference_answer/gpt-4.jsonl"), mtBench);
        assertThat(references.answers()).hasSize(30).allMatch(a -> a.turns().size() == 2);
    }

    @Test
    void userOrientedInstructionsCarryTheirFirstInput() {
        List<EvalQuestion> questions = QuestionFile.read(SharedData.path("self_instruct/user_oriented_instructions.jsonl"));
        assertThat(questions).hasSize(252);
        EvalQuestion first = questions.get(0);
        assertThat(first.key()).isEqualTo("user_oriented_task_0");
        assertThat(first.category()).isEqualTo("Grammarly");
        assertThat(first.text()).startsWith("The sentence you are given might be too wordy")
                .endsWith("\n\nIf you have any questions about my rate or if you find it necessary to increase or decrease the scope for this project, please let me know.");
        assertThat(questions.stream().filter(q -> q.input().isEmpty()).count()).isEqualTo(44);
    }

    @Test
    void answersOfEveryKindAreFoundByQuestion() {
        List<EvalQuestion> vicuna = QuestionFile.read(SharedData.path("fastchat/eval_table/question.jsonl"));
        AnswerFile bard = AnswerFile.read(SharedData.path("fastchat/eval_table/answer/answer_bard.jsonl"), vicuna).requireAll(vicuna);
        assertThat(bard.modelId()).isEqualTo("bard:20230327");
        assertThat(bard.answerTo(vicuna.get(0)).answerId()).isNotEmpty();

        AnswerFile gpt4 = AnswerFile.read(SharedData.path("fastchat/llm_judge/vicuna_bench/reference_answer/gpt-4.jsonl"), vicuna);
        assertThat(gpt4.modelId()).isEqualTo("gpt-4");
        assertThat(gpt4.answerTo(vicuna.get(60)).text()).isNotBlank();
        assertThatThrownBy(() -> gpt4.answerTo(vicuna.get(0))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no answer to question 1");

        List<EvalQuestion> userOriented = QuestionFile.read(SharedData.path("self_instruct/user_oriented_instructions.jsonl"));
        AnswerFile davinci = AnswerFile.read(SharedData.path("self_instruct/predictions/text-davinci-003_predictions.jsonl"), userOriented)
                .requireAll(userOriented);
        assertThat(davinci.modelId()).isEqualTo("text-davinci-003");
    }

    @Test
    void oneFileHoldsOneModel() throws IOException {
        Path file = Files.writeString(dir.resolve("a.jsonl"), "{\"question_id\":1,\"text\":\"x\",\"model_id\":\"m1\"}\n"
                + "{\"question_id\":2,\"text\":\"y\",\"model_id\":\"m2\"}\n");
        assertThatThrownBy(() -> AnswerFile.read(file, List.of())).isInstanceOf(BadInputException.class)
                .hasMessage(file + ":2: field \"model_id\": \"m2\" differs from \"m1\" of the first row; one answers file holds one model's answers");
    }
}
