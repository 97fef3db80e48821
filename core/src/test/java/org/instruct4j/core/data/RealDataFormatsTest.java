package org.instruct4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;

/** Every reader against the real released files in ../shared/data. */
class RealDataFormatsTest {

    @Test
    void alpacaSubset() {
        List<AlpacaExample> rows = Datasets.readAll(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), AlpacaExample::fromJson);
        assertThat(rows).hasSize(5000);
        assertThat(rows.stream().filter(r -> !r.input().isEmpty()).count()).isEqualTo(1943);
        assertThat(rows.get(0).instruction()).isEqualTo("Are the two sentences below grammatically correct? Output yes or no.");
    }

    @Test
    void alpacaRowsAsInstructionsGetPositionalIds() {
        List<Instruction> rows = Datasets.readAll(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), Instruction::fromJson);
        assertThat(rows.get(4999).id()).isEqualTo("4999");
    }

    @Test
    void seedTasks() {
        List<SeedTask> seeds = Datasets.readAll(SharedData.path("alpaca/seed_tasks.jsonl"), SeedTask::fromJson);
        assertThat(seeds).hasSize(175);
        assertThat(seeds.get(0).id()).isEqualTo("seed_task_0");
        assertThat(seeds.get(0).instances()).hasSize(1);
        assertThat(seeds.stream().filter(SeedTask::isClassification).count()).isPositive();
    }

    @Test
    void rankedComparisonSample() {
        List<RankedPair> pairs = Datasets.readAll(
                SharedData.path("gpt4llm/comparison_gpt4_data_en.sample1095.llamafactory_format.json"), RankedPair::fromJson);
        assertThat(pairs).hasSize(1095);
        assertThat(pairs.get(0).instruction()).isEqualTo("What are the three primary colors?");
    }

    @Test
    void fastChatQuestionsAnswersAndReviews() {
        List<Question> questions = Datasets.readAll(SharedData.path("fastchat/eval_table/question.jsonl"), Question::fromJson);
        assertThat(questions).hasSize(80);
        assertThat(questions.get(0)).isEqualTo(new Question(1, "How can I improve my time management skills?", "generic"));
        List<Question> turns = Datasets.readAll(SharedData.path("fastchat/llm_judge/mt_bench/question.jsonl"), Question::fromJson);
        assertThat(turns).hasSize(80);
        List<Answer> answers = Datasets.readAll(SharedData.path("fastchat/eval_table/answer/answer_alpaca-13b.jsonl"), Answer::fromJson);
        assertThat(answers).hasSize(80).allMatch(a -> a.modelId().equals("alpaca-13b:v1"));
        List<Review> reviews = Datasets.readAll(
                SharedData.path("fastchat/eval_table/review/review_alpaca-13b_vicuna-13b-20230322-clean-lang.jsonl"), Review::fromJson);
        assertThat(reviews).hasSize(80);
        assertThat(reviews.get(0).text()).startsWith((int) reviews.get(0).score1() + " ");
    }

    @Test
    void userOrientedInstructionsAsUnnaturalStyleTasks() {
        List<SeedTask> tasks = Datasets.readAll(SharedData.path("self_instruct/user_oriented_instructions.jsonl"), SeedTask::fromJson);
        assertThat(tasks).hasSize(252);
    }

    @Test
    void alpacaPromptIsExact() {
        assertThat(AlpacaPrompt.render("Give three tips for staying healthy.", "")).isEqualTo(
                "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
                        + "### Instruction:\nGive three tips for staying healthy.\n\n### Response:");
        assertThat(AlpacaPrompt.render("Translate.", "Hola")).endsWith("### Instruction:\nTranslate.\n\n### Input:\nHola\n\n### Response:");
    }
}
