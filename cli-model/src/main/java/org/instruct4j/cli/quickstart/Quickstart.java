package org.instruct4j.cli.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.eval.answer.AnswerQuestionsTask;
import org.instruct4j.eval.answer.AnswerSampling;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.eval.rouge.RougeEvaluation;
import org.instruct4j.eval.rouge.RougeResult;
import org.instruct4j.eval.rouge.RougeRow;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.fetch.HubClient;
import org.instruct4j.serve.LocalChatClient;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.SamplingOverrides;
import org.instruct4j.teacher.limits.RetryPolicy;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.JobRunner;
import org.instruct4j.teacher.run.TeacherCaller;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.sft.SftRecipe;
import org.instruct4j.train.sft.SftResult;

/**
 * From nothing to an evaluated model: get the data and a base model, hold out a sample, fine-tune with the
 * GPT-4-LLM recipe for a bounded time, answer the Vicuna questions and the held-out instructions with the student,
 * score ROUGE-L against the teacher's answers, and write an HTML report. Every step keeps its output in the run
 * directory and is skipped when run again, so an interrupted quickstart continues where it stopped.
 */
final class Quickstart {
    /** What the run needs; {@code sftOverrides} are {@code --key=value} settings of the SFT recipe. */
    record Plan(Source data, Source base, Path tokenizer, Path questions, Path output, String maxTime, int heldOut,
                int trainRows, int maxNewTokens, int batch, long seed, List<String> sftOverrides, boolean quiet,
                InferenceOptions inference) {}

    /** Where everything ended up, and the numbers the report shows. */
    record Outcome(Path report, Path model, SftResult training, RougeResult rouge, int vicunaAnswers) {}

    private static final double SMALL_MODEL_PARAMETERS = 50e6;

    private final Plan plan;
    private final Consumer<String> log;

    Quickstart(Plan plan, Consumer<String> log) {
        this.plan = plan;
        this.log = log;
    }

    Outcome run() {
        Instant started = Instant.now();
        Path out = plan.output();
        var questions = QuestionFile.read(plan.questions());
        HubClient hub = HubClient.fromEnvironment();
        log.accept("1/5 data and base model");
        Path data = plan.data().datasetFile(out.resolve("downloads"), hub, name -> log.accept("  downloading " + name));
        Path base = plan.base().modelPath(out.resolve("downloads"), hub, name -> log.accept("  downloading " + name));
        HeldOutSplit.Split split = HeldOutSplit.write(data, out.resolve("data"), plan.heldOut(), plan.trainRows(), plan.seed());
        log.accept("  " + split.trainRows() + " rows to train on, " + split.heldOutRows() + " held out (" + data + ")");

        log.accept("2/5 fine-tuning " + base + " for at most " + plan.maxTime());
        SftResult training = train(base, split.train(), out.resolve("model"));

        InferenceModel student = ModelDirectory.openForInference(out.resolve("model"), null, plan.inference());
        Sampling greedy = new Sampling(0, 1, plan.maxNewTokens(), List.of());
        Path eval = out.resolve("eval");
        try (LocalModel local = LocalModel.start(student, SchedulerOptions.defaults().withMaxRows(plan.batch()))) {
            LocalChatClient client = new LocalChatClient(local, ModelPrompt.of(PromptFormat.ALPACA, student), "student", plan.seed());
            log.accept("3/5 answering the " + questions.size() + " Vicuna questions");
            answer(client, new AnswerQuestionsTask(questions, "student", "instruct4j-quickstart",
                    new AnswerSampling(greedy, new SamplingOverrides(0.0, null, null)), PromptFormat.ALPACA, Language.EN),
                    eval.resolve("vicuna_answers.jsonl"));
            log.accept("4/5 answering the " + split.heldOutRows() + " held-out instructions");
            answer(client, new AnswerTask(InstructionInput.open(split.heldOut(), 0), "student", greedy, Language.EN),
                    eval.resolve("heldout_answers.jsonl"));
        }
        RougeResult rouge = rouge(split.heldOut(), eval.resolve("heldout_answers.jsonl"));
        AtomicFiles.writeString(eval.resolve("heldout_rouge.json"), rouge.json(true) + "\n");

        log.accept("5/5 report");
        Path report = new QuickstartReport(plan, data, base, training, rouge, eval, Duration.between(started, Instant.now()))
                .write(out.resolve("report.html"));
        return new Outcome(report, out.resolve("model"), training, rouge, questions.size());
    }

    /** Trains once: a run stopped before the end continues; a finished one is kept. */
    private SftResult train(Path base, Path trainData, Path modelDir) {
        Path done = modelDir.resolve(".quickstart-trained");
        boolean started = Files.exists(modelDir.resolve("sft_config.yaml"));
        List<String> overrides = new ArrayList<>(List.of("--base=" + base, "--data=" + trainData, "--output=" + modelDir,
                "--max-time=" + plan.maxTime(), "--batch-size=16", "--micro-batch-size=4",
                "--eval-fraction=0.05", "--eval-steps=20", "--save-steps=20", "--epochs=1",
                "--lr=" + (parameters(base) < SMALL_MODEL_PARAMETERS ? "1e-3" : "1e-4"), "--seed=" + plan.seed(),
                "--quiet=" + plan.quiet(), "--resume=" + started));
        if (plan.tokenizer() != null) {
            overrides.add("--tokenizer=" + plan.tokenizer());
        }
        overrides.addAll(plan.sftOverrides());
        Settings config = SftRecipe.SETTINGS.defaults().with(overrides);
        if (Files.exists(done)) {
            log.accept("  already trained (" + modelDir + ")");
            return TrainingRecord.read(done, modelDir);
        }
        SftResult result = SftRecipe.run(config, message -> log.accept("  " + message));
        TrainingRecord.write(done, result);
        return result;
    }

    /** Weights in the base checkpoint, estimated from its size in fp32 (or bf16 for safetensors stored so). */
    private static double parameters(Path base) {
        try (var files = Files.isDirectory(base) ? Files.list(base) : java.util.stream.Stream.of(base)) {
            long bytes = files.filter(p -> p.toString().endsWith(".safetensors") || p.toString().endsWith(".bin"))
                    .filter(p -> !p.getFileName().toString().startsWith("tokenizer")).mapToLong(Quickstart::size).sum();
            return bytes / 4.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <S> void answer(LocalChatClient client, GenerationTask<S> task, Path output) {
        JobOptions options = new JobOptions(plan.batch() * 2, 0, 0, RetryPolicy.DEFAULT, false, plan.quiet());
        TeacherCaller caller = new TeacherCaller(client, options, new UsageMeter(PriceTable.free(), 1));
        var result = new JobRunner(caller, options).run(task, JobFiles.forOutput(output), Json.object().put("model", "student"));
        if (!result.ok() || result.failed() > 0) {
            throw new IllegalStateException("answering into " + output + " failed for " + result.failed() + " rows"
                    + (result.ok() ? "" : ": " + result.fatalError()) + "; see " + JobFiles.forOutput(output).failures());
        }
    }

    /** ROUGE-L of the student's answers against the teacher's answers of the held-out rows. */
    private static RougeResult rouge(Path heldOut, Path answers) {
        Map<String, String> teacher = new java.util.HashMap<>();
        Datasets.forEach(heldOut, row -> row, (JsonRow row) -> teacher.put(row.string("id"), row.string("output")));
        List<RougeRow> rows = new ArrayList<>();
        Datasets.forEach(answers, row -> row, (JsonRow row) ->
                rows.add(new RougeRow(row.string("id"), row.string("output"), teacher.get(row.string("id")))));
        rows.sort(java.util.Comparator.comparingInt(r -> Integer.parseInt(r.id())));
        return new RougeEvaluation(false, RougeTokenizer.named("default")).evaluate("student", rows);
    }
}
