package org.instruct4j.spark.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.instruct4j.core.io.Json;
import org.instruct4j.spark.Instructions;
import org.instruct4j.spark.OutputRows;
import org.instruct4j.spark.SingleMachine;
import org.instruct4j.spark.SparkCli;
import org.instruct4j.spark.WithFakeTeacher;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.teacher.tasks.RatingTask;
import org.instruct4j.teacher.tasks.ResponseFile;
import org.instruct4j.teacher.tasks.TranslateTask;
import org.instruct4j.teacher.tasks.UnnaturalTask;
import org.instruct4j.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every generate command's Spark job writes what its single-machine command writes, for the same input. */
class SparkTasksTest extends WithFakeTeacher {
    @TempDir
    Path dir;

    private SparkCli generate(String... args) {
        SparkCli run = spark(Stream.concat(Stream.of("generate"), Stream.concat(Stream.of(args), Stream.of("--model", "gpt-4o-mini")))
                .toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        return run;
    }

    @Test
    void chineseAnswers() {
        Path input = Instructions.write(dir.resolve("in.jsonl"), 9);

        generate("answers", "--input", input.toString(), "--output", dir.resolve("zh").toString(), "--language", "zh");

        var task = new AnswerTask(InstructionInput.open(input, 0), "gpt-4o-mini", Sampling.PAPER_DEFAULTS, Language.ZH);
        assertThat(OutputRows.byId(dir.resolve("zh"))).hasSize(9)
                .isEqualTo(OutputRows.byId(SingleMachine.run(server, task, dir.resolve("single.jsonl"))));
    }

    @Test
    void translations() {
        server.responder(request -> {
            String prompt = request.lastUserMessage();
            JsonNode row = readTree(prompt.substring(prompt.lastIndexOf("\n\n") + 2));
            return Reply.of(request, Json.line(Json.object().put("instruction", "译：" + row.path("instruction").asText())
                    .put("input", row.path("input").asText())));
        });
        Path input = Instructions.write(dir.resolve("in.jsonl"), 9);

        generate("translate", "--input", input.toString(), "--output", dir.resolve("zh").toString());

        var task = new TranslateTask(InstructionInput.open(input, 0), "gpt-4o-mini", TranslateTask.DEFAULTS, "zh");
        assertThat(OutputRows.byId(dir.resolve("zh"))).hasSize(9)
                .isEqualTo(OutputRows.byId(SingleMachine.run(server, task, dir.resolve("single.jsonl"))));

        server.responder(request -> Reply.of(request, "答：" + request.lastUserMessage().length()));
        generate("answers", "--input", dir.resolve("zh").toString(), "--output", dir.resolve("answers_zh").toString(), "--language", "zh");
        assertThat(OutputRows.byId(dir.resolve("answers_zh"))).as("a job's part files are the next job's input").hasSize(9)
                .allSatisfy((id, row) -> assertThat(row.get("instruction").asText()).startsWith("译：Explain idea"));
    }

    @Test
    void unnaturalInstructionsOneRequestPerInstance() {
        Path core = Instructions.writeLines(dir.resolve("core_data.jsonl"), List.of(
                "{\"instruction\": \"Reverse the words.\", \"instances\": [{\"input\": \"Hello world\", \"output\": \"world Hello\"},"
                        + " {\"input\": \"a b\", \"output\": \"b a\"}]}",
                "{\"instruction\": \"Add one.\", \"instances\": [{\"input\": \"1\", \"output\": \"2\"}]}",
                "{\"instruction\": \"Negate.\", \"instances\": [{\"input\": \"yes\", \"output\": \"no\"}, {\"input\": \"up\", \"output\": \"down\"}]}"));

        generate("unnatural", "--input", core.toString(), "--output", dir.resolve("un").toString());

        var task = UnnaturalTask.open(core, 0, "gpt-4o-mini", Sampling.PAPER_DEFAULTS);
        assertThat(OutputRows.byId(dir.resolve("un"))).containsOnlyKeys("0.0", "0.1", "1.0", "2.0", "2.1")
                .isEqualTo(OutputRows.byId(SingleMachine.run(server, task, dir.resolve("single.jsonl"))));
    }

    @Test
    void ratingsAssembleTheSameComparisonData() {
        server.responder(request -> Reply.of(request, request.lastUserMessage().contains("idea [q2]") ? "6\nVague." : "8\nAccurate."));
        Path input = Instructions.write(dir.resolve("in.jsonl"), 6);
        Path gpt4 = Instructions.writeLines(dir.resolve("gpt4.jsonl"), List.of(
                "{\"id\": \"r0\", \"output\": \"Zero.\", \"model\": \"gpt-4\"}", "{\"id\": \"r1\", \"output\": \"One.\", \"model\": \"gpt-4\"}",
                "{\"id\": \"r2\", \"output\": \"Two.\", \"model\": \"gpt-4\"}", "{\"id\": \"r4\", \"output\": \"Four.\", \"model\": \"gpt-4\"}"));
        Path opt = Instructions.writeLines(dir.resolve("opt.jsonl"), List.of(
                "{\"id\": \"r0\", \"output\": \"0\"}", "{\"id\": \"r2\", \"output\": \"2\"}", "{\"id\": \"r3\", \"output\": \"3\"}"));
        Path output = dir.resolve("comparison");

        generate("ratings", "--input", input.toString(), "--responses", gpt4.toString(), "--responses", opt.toString(),
                "--output", output.toString());

        Path singleOutput = dir.resolve("single.jsonl");
        Path singleRatings = dir.resolve("single.ratings.jsonl");
        var task = new RatingTask(InstructionInput.open(input, 0), List.of(ResponseFile.read(gpt4), ResponseFile.read(opt)),
                "gpt-4o-mini", RatingTask.DEFAULTS, singleRatings, singleOutput);
        SingleMachine.run(server, task, JobFiles.withRows(singleOutput, singleRatings));
        assertThat(OutputRows.byId(dir.resolve("comparison.ratings"))).hasSize(7).isEqualTo(OutputRows.byId(singleRatings));
        assertThat(OutputRows.rows(output)).hasSize(5).isEqualTo(OutputRows.rows(singleOutput));
        assertThat(OutputRows.rows(output).get(2).toString()).contains("\"score\":6.0", "\"source\":\"opt\"");
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
