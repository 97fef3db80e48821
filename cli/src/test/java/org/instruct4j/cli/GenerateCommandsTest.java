package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.testkit.ChatRequest;
import org.instruct4j.testkit.DeterministicResponder;
import org.instruct4j.testkit.Reply;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generate command end to end, in process, against a real OpenAI-compatible HTTP server whose replies
 * play the teacher's part for that command (a translation, a rating, a numbered list of new tasks).
 */
class GenerateCommandsTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    private CliRun generate(String... args) {
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(List.of(args));
        return teacher.run(all.toArray(String[]::new));
    }

    private static List<JsonRow> rows(Path file) {
        return Datasets.readAll(file, row -> row);
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void translateKeepsIdsAndRecordsTranslationsThatLoseProtectedText() throws IOException {
        teacher.server().responder(request -> {
            String prompt = request.lastUserMessage();
            JsonNode row = readTree(prompt.substring(prompt.lastIndexOf("\n\n") + 2));
            String instruction = row.path("instruction").asText();
            // this translator drops numbers from one instruction, which the command must not accept
            String translated = instruction.contains("3 tips") ? "给出健康的建议" : "译：" + instruction;
            return Reply.of(request, Json.line(Json.object().put("instruction", translated).put("input", row.path("input").asText())));
        });
        Path input = write("in.jsonl",
                "{\"id\": \"a\", \"instruction\": \"Rename the variable `x1` to {name}.\", \"input\": \"x1 = 42\"}",
                "{\"id\": \"b\", \"instruction\": \"Give three tips for staying healthy.\", \"input\": \"\"}",
                "{\"id\": \"c\", \"instruction\": \"Give 3 tips for staying healthy.\", \"input\": \"\"}");
        Path output = dir.resolve("zh.jsonl");

        CliRun run = generate("translate", "--input", input.toString(), "--output", output.toString(), "--max-attempts", "2");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        Map<String, JsonRow> byId = byId(output);
        assertThat(byId).containsOnlyKeys("a", "b");
        assertThat(byId.get("a").string("instruction")).isEqualTo("译：Rename the variable `x1` to {name}.");
        assertThat(byId.get("a").string("input")).isEqualTo("x1 = 42");
        assertThat(byId.get("a").string("source_instruction")).isEqualTo("Rename the variable `x1` to {name}.");
        assertThat(rows(dir.resolve("zh.failures.jsonl"))).singleElement()
                .satisfies(f -> assertThat(f.string("error")).contains("protected text [3]"));
    }

    @Test
    void ratingsWriteComparisonDataAndNeverMakeUpAScore() throws IOException {
        teacher.server().responder(request -> Reply.of(request, request.lastUserMessage().contains("I cannot help")
                ? "The response is unhelpful.\nIt refuses." : "8\nAccurate and detailed."));
        Path instructions = write("instructions.jsonl",
                "{\"id\": \"q1\", \"instruction\": \"Name a primary color.\"}",
                "{\"id\": \"q2\", \"instruction\": \"Add the numbers.\", \"input\": \"2 and 3\"}");
        Path gpt4 = write("gpt4.jsonl",
                "{\"id\": \"q1\", \"output\": \"Red.\", \"model\": \"gpt-4\"}",
                "{\"id\": \"q2\", \"output\": \"5\", \"model\": \"gpt-4\"}");
        Path opt = write("opt.jsonl",
                "{\"id\": \"q1\", \"output\": \"Blue is one.\", \"model\": \"icm-1.3b\"}",
                "{\"id\": \"q2\", \"output\": \"I cannot help with that.\", \"model\": \"icm-1.3b\"}");
        Path output = dir.resolve("comparison.jsonl");

        CliRun run = generate("ratings", "--input", instructions.toString(), "--responses", gpt4.toString(),
                "--responses", opt.toString(), "--output", output.toString(), "--max-attempts", "2");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        List<JsonRow> comparison = rows(output);
        assertThat(comparison).singleElement().satisfies(row -> {
            assertThat(row.string("user_input")).isEqualTo(AlpacaPrompt.render("Name a primary color.", ""));
            JsonNode scored = row.node().get("responses_and_scores");
            assertThat(scored).hasSize(2);
            assertThat(scored.get(0).get("source").asText()).isEqualTo("gpt-4");
            assertThat(scored.get(0).get("score").asDouble()).isEqualTo(8.0);
            assertThat(scored.get(1).get("response").asText()).isEqualTo("Blue is one.");
        });
        assertThat(rows(dir.resolve("comparison.failures.jsonl"))).singleElement()
                .satisfies(f -> assertThat(f.string("id")).isEqualTo("q2#1"));
        List<ChatRequest> asked = teacher.server().log().requests();
        assertThat(asked.get(0).messages().get(1).content()).startsWith("### Instruction\n").contains("### End of Response");
    }

    @Test
    void unnaturalAnswersEveryInstanceOfTheCoreData() throws IOException {
        Path core = write("core_data.jsonl",
                "{\"instruction\": \"Reverse the words.\", \"instances\": [{\"input\": \"Words: ['Hello', 'world'].\", \"output\": \"world\\nHello\", \"constraints\": \"None.\", \"instruction_with_input\": \"x\"}, {\"input\": \"Words: ['a', 'b'].\", \"output\": \"b\\na\", \"constraints\": \"None.\", \"instruction_with_input\": \"y\"}]}");
        Path output = dir.resolve("unnatural.jsonl");
        CliRun run = generate("unnatural", "--input", core.toString(), "--output", output.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonRow> answered = rows(output);
        assertThat(answered).hasSize(2);
        JsonRow first = answered.stream().filter(r -> r.string("input").contains("Hello")).findFirst().orElseThrow();
        assertThat(first.string("label")).isEqualTo("world\nHello");
        assertThat(first.string("output"))
                .isEqualTo(DeterministicResponder.answer("gpt-4", AlpacaPrompt.render("Reverse the words.", "Words: ['Hello', 'world'].")));
    }

    @Test
    void instructionsGrowFromTheSeedsThroughEveryFilter() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        teacher.server().responder(request -> Reply.of(request, selfInstructReply(calls.incrementAndGet())));
        Path output = dir.resolve("new_tasks.jsonl");

        CliRun run = generate("instructions", "--seeds", SharedData.path("alpaca/seed_tasks.jsonl").toString(),
                "--prompt", SharedData.path("alpaca/prompt.txt").toString(), "--count", "6", "--output", output.toString(),
                "--concurrency", "1", "--seed", "7");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonRow> kept = rows(output);
        assertThat(kept).hasSize(6);
        Set<String> instructions = new HashSet<>();
        for (JsonRow row : kept) {
            String instruction = row.string("instruction");
            assertThat(instructions.add(instruction)).isTrue();
            assertThat(FRESH_TASKS).contains(instruction);
        }
        String prompt = teacher.server().log().requests().get(0).lastUserMessage();
        assertThat(prompt).startsWith(Files.readString(SharedData.path("alpaca/prompt.txt")) + "\n###\n1. Instruction: ")
                .endsWith("###\n4. Instruction:");
    }

    private static final List<String> FRESH_TASKS = List.of(
            "Explain how photosynthesis turns sunlight into sugar for a school project.",
            "Suggest three healthy lunch ideas for a busy office worker.",
            "Compose a polite email asking a landlord to repair a leaking kitchen tap.",
            "Classify the sentiment of the given movie review as positive or negative.",
            "List five questions to ask during a job interview for a nursing position.",
            "Rewrite the given sentence in the passive voice without changing its meaning.",
            "Estimate how many tennis balls fit inside an ordinary school bus.",
            "Recommend a beginner friendly hiking route near a large European city.");

    /** Each reply: two fresh tasks, a near copy of the first task ever, one with a blacklisted word, one too short. */
    private static String selfInstructReply(int call) {
        String first = FRESH_TASKS.get((2 * call - 2) % FRESH_TASKS.size());
        String second = FRESH_TASKS.get((2 * call - 1) % FRESH_TASKS.size());
        return " " + first + "\n4. Input:\n<noinput>\n4. Output:\nAn answer.\n"
                + "###\n5. Instruction: " + second + "\n5. Input:\n<noinput>\n5. Output:\nAnother answer.\n"
                + "###\n6. Instruction: Please explain how photosynthesis turns sunlight into sugar for a school project.\n6. Input:\n<noinput>\n6. Output:\n...\n"
                + "###\n7. Instruction: Draw a diagram of the solar system for a class.\n7. Input:\n<noinput>\n7. Output:\n...\n"
                + "###\n8. Instruction: Summarize.\n8. Input:\nText\n8. Output:\nShort.\n";
    }

    @Test
    void instructionsStopWhenTheTeacherRunsDry() {
        teacher.server().responder(request -> Reply.of(request, selfInstructReply(1)));
        Path output = dir.resolve("dry.jsonl");
        CliRun run = generate("instructions", "--seeds", SharedData.path("alpaca/seed_tasks.jsonl").toString(),
                "--prompt", SharedData.path("alpaca/prompt.txt").toString(), "--count", "50", "--output", output.toString(),
                "--concurrency", "1", "--patience", "3");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("stopped before --count: 3 requests in a row added no new instruction");
        assertThat(rows(output)).hasSize(2);
        assertThat(teacher.server().log().chatRequests()).isEqualTo(4);
    }

    @Test
    void answersWithTheBatchApiMatchTheLiveAnswers() throws IOException {
        Path input = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");
        Path output = dir.resolve("batch.jsonl");
        CliRun run = generate("answers", "--input", input.toString(), "--output", output.toString(), "--limit", "12",
                "--batch-api", "--poll-interval", "0.01");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("(Batch API price)");
        var examples = Datasets.readAll(input, org.instruct4j.core.data.AlpacaExample::fromJson);
        Map<String, JsonRow> byId = byId(output);
        assertThat(byId).hasSize(12);
        for (int i = 0; i < 12; i++) {
            var example = examples.get(i);
            assertThat(byId.get(Integer.toString(i)).string("output"))
                    .isEqualTo(DeterministicResponder.answer("gpt-4", AlpacaPrompt.render(example.instruction(), example.input())));
        }
        assertThat(teacher.server().log().batchesCreated()).isEqualTo(1);
        assertThat(teacher.server().log().chatRequests()).isZero();
        assertThat(dir.resolve("batch.batches.json")).exists();
    }

    @Test
    void aLocalModelAnswersWithoutAnyApi() {
        Path output = dir.resolve("local.jsonl");
        CliRun run = CliRun.of("generate", "answers", "--input", SharedData.path("alpaca/alpaca_5000_subset_pr152.json").toString(),
                "--output", output.toString(), "--limit", "3", "--quiet", "--temperature", "0", "--max-tokens", "12",
                "--local-model", SharedData.path("models/stories260K/stories260K.bin").toString(),
                "--local-tokenizer", SharedData.path("models/stories260K/tok512.bin").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("estimated cost: $0.0000");
        List<JsonRow> answered = rows(output);
        assertThat(answered).hasSize(3).allSatisfy(row -> {
            assertThat(row.string("model")).isEqualTo("stories260K.bin");
            assertThat(row.string("output")).isNotBlank();
        });
        assertThat(teacher.server().log().totalRequests()).isZero();
        assertThat(Json.line(readTree(readString(dir.resolve("local.meta.json"))))).contains("local_model").doesNotContain("base_url");
    }

    private static Map<String, JsonRow> byId(Path file) {
        Map<String, JsonRow> byId = new java.util.LinkedHashMap<>();
        for (JsonRow row : rows(file)) {
            assertThat(byId.put(row.string("id"), row)).as("id %s once", row.string("id")).isNull();
        }
        return byId;
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
