package org.instruct4j.cli.quickstart;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.cli.model.Inference;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code instruct4j quickstart}: the whole pipeline, from data and a base model to an evaluated student and a report. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"The main job, from nothing to an evaluated model: data, fine-tuning, answers, ROUGE-L, an HTML report.",
            "Downloads GPT-4-LLM's English data and a small open base model from the Hugging Face hub (or takes local ones),",
            "fine-tunes for a bounded time on CPU, answers the 80 Vicuna questions and a held-out sample, scores ROUGE-L",
            "against the teacher's answers and writes an HTML report. Run it again to continue an interrupted run."})
public final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--data", paramLabel = "FILE|data:NAME|hf:datasets/ORG/NAME/FILE",
            defaultValue = "hf:datasets/llamafactory/alpaca_gpt4_en/alpaca_gpt4_data_en.json",
            description = "Instruction data with the teacher's answers (default: GPT-4-LLM's English data, ${DEFAULT-VALUE}).")
    String data;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--base", paramLabel = "DIR|FILE|data:NAME|hf:ORG/NAME", defaultValue = "hf:HuggingFaceTB/SmolLM2-135M",
            description = "Base model: a Hugging Face model directory, a llama2.c .bin (with --tokenizer), or a hub repository (default: ${DEFAULT-VALUE}).")
    String base;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c --base.")
    Path tokenizer;

    @Reads
    @Option(names = "--questions", paramLabel = "FILE", defaultValue = "data:gpt4llm/vicuna_question_80.jsonl",
            description = "The questions to answer (FastChat format; default: ${DEFAULT-VALUE}).")
    Path questions;

    @Writes(FileRoles.Kind.DIRECTORY)
    @Option(names = "--output", paramLabel = "DIR", defaultValue = "runs/quickstart",
            description = "Run directory: downloads, data split, model, answers, report (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--max-time", paramLabel = "DURATION", defaultValue = "10m",
            description = "Longest fine-tuning time, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    String maxTime;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "100",
            description = "Rows held out to score ROUGE-L against the teacher (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--train-rows", paramLabel = "N", defaultValue = "0", description = "Train on at most N rows (0 = all the rest).")
    int trainRows;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "128",
            description = "Longest answer the student writes (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "Answers generated together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, the data order and initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sft", paramLabel = "KEY=VALUE",
            description = "A setting of the SFT recipe (see train sft --help), e.g. --sft lr=2e-5 --sft batch-size=64.")
    List<String> sft = List.of();

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Mixin
    EngineOptions engine;

    @Mixin
    ModelRuntimeOptions runtime;

    @Override
    public Integer call() {
        if (heldOut < 1 || maxNewTokens < 1 || batch < 1 || trainRows < 0) {
            throw new BadInputException("--held-out, --max-new-tokens and --batch must be positive, --train-rows not negative");
        }
        var err = spec.commandLine().getErr();
        Quickstart.Plan plan = new Quickstart.Plan(new Source(data), new Source(base), tokenizer, questions, output,
                maxTime, heldOut, trainRows, maxNewTokens, batch, seed,
                sft.stream().map(s -> s.startsWith("--") ? s : "--" + s).toList(), quiet, Inference.options(runtime, engine, "fp32"));
        Quickstart.Outcome outcome = new Quickstart(plan, line -> {
            err.println(line);
            err.flush();
        }).run();
        err.printf(Locale.ROOT, "quickstart: %d training steps, held-out loss %.3f -> %.3f, ROUGE-L %.4f on %d held-out rows%n",
                outcome.training().steps(), outcome.training().firstEvalLoss(), outcome.training().lastEvalLoss(),
                outcome.rouge().buckets(false).get(0).rougeL(), outcome.rouge().rows().size());
        err.println("quickstart: model " + outcome.model() + "; report " + outcome.report());
        err.flush();
        return 0;
    }
}
