package org.instruct4j.cli.generate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.instruct4j.cli.EngineOptions;
import org.instruct4j.cli.ModelRuntimeOptions;
import org.instruct4j.cli.Reads;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.teacher.batch.BatchOptions;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.usage.CostGuard;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command that calls a teacher shares: the API options, plus a local model or the Batch API instead. */
public final class TeacherOptions extends ApiTeacherOptions {
    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--local-model", paramLabel = "DIR",
            description = "Answer with a local model instead of an API: a Hugging Face model directory, or a llama2.c .bin with --local-tokenizer.")
    Path localModel;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--local-tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c --local-model checkpoint.")
    Path localTokenizer;

    @Option(names = "--local-dtype", paramLabel = "fp32|bf16", defaultValue = "fp32",
            description = "Precision of the local model (default: ${DEFAULT-VALUE}; bf16 halves the memory; on CPUs without native bf16 it decodes larger models faster but prefills slower).")
    String localDtype;

    @Mixin
    EngineOptions engine;

    @Option(names = "--local-batch-size", paramLabel = "N", defaultValue = "8",
            description = "Most requests the local model generates together, joining and leaving its batch at every step (default: ${DEFAULT-VALUE}).")
    int localBatchSize;

    @Option(names = "--prompt-format", paramLabel = "alpaca|chat|raw",
            description = "How a conversation becomes the local model's prompt: alpaca (the paper's template), chat (the model's "
                    + "chat_template) or raw (the texts joined) (default: the format the model was trained with, else chat when it "
                    + "has a chat_template, else alpaca). eval answer also asks API models in this format (default there: chat).")
    String promptFormat;

    @Option(names = "--local-truncate",
            description = "A prompt too long for the local model's context keeps its last tokens (as FastChat's model worker does) instead of failing.")
    boolean localTruncate;

    @Option(names = "--local-seed", paramLabel = "N", defaultValue = "0", description = "Sampling seed of the local model (default: ${DEFAULT-VALUE}).")
    long localSeed;

    @Mixin
    ModelRuntimeOptions runtime;

    @Option(names = "--batch-api",
            description = "Send the requests through the OpenAI Batch API (half the price, results within 24 h). Batch ids are kept in O.batches.json, so rerunning the command picks up the batches already submitted.")
    boolean batchApi;

    @Option(names = "--max-cost", paramLabel = "USD",
            description = "Spend at most USD dollars on this output, its earlier runs (O.meta.json) included: a request is not sent"
                    + " when its prompt and a reply of max_tokens could pass the budget; the run then stops, the rows not done stay"
                    + " pending (exit 3) and a rerun with a higher --max-cost continues. Needs the model's price (built in, or --prices).")
    Double maxCost;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --batch-api: seconds between polls of the open batches (default: ${DEFAULT-VALUE}).")
    double pollIntervalSeconds;

    /** --device: where a model the command loads runs. */
    public ModelRuntimeOptions runtime() {
        return runtime;
    }

    /** --engine and --quantize: how the local model (and a reward model the command loads) runs. */
    public EngineOptions engine() {
        return engine;
    }

    /** The local model's directory (or checkpoint), when --local-model is given. */
    public Path localModel() {
        return localModel;
    }

    /**
     * The --prompt-format given; else, with --local-model, the local model's own ({@link PromptFormat#defaultFor});
     * else {@code apiDefault}.
     */
    public PromptFormat promptFormat(PromptFormat apiDefault) {
        if (promptFormat != null) {
            return PromptFormat.parse(promptFormat);
        }
        return localModel != null ? PromptFormat.defaultFor(localModel) : apiDefault;
    }

    public boolean localTruncate() {
        return localTruncate;
    }

    /** The teacher: an OpenAI-compatible endpoint, or the local model given with --local-model. */
    public ChatClient client() {
        if (localModel == null) {
            return openAiClient();
        }
        if (batchApi) {
            throw new BadInputException("--batch-api needs an API endpoint; it cannot be used with --local-model");
        }
        if (localTokenizer == null && java.nio.file.Files.isRegularFile(localModel)) {
            throw new BadInputException("--local-model " + localModel + " is a llama2.c checkpoint: give its --local-tokenizer");
        }
        LocalTeacher local = ServiceLoader.load(LocalTeacher.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "--local-model runs the model with the model engines, which come with the cli-model group, not on this class path: "
                        + "run the command through ./instruct4j, which builds that group for any command with --local-model"));
        return local.open(new LocalTeacher.Settings(localModel, localTokenizer, localDtype, localBatchSize,
                promptFormat(PromptFormat.ALPACA), localTruncate, localSeed, runtime.device(), engine));
    }

    public BatchOptions batchOptions() {
        if (pollIntervalSeconds <= 0) {
            throw new BadInputException("--poll-interval must be positive");
        }
        return BatchOptions.defaults(jobOptions().retry(), retryFailed, quiet)
                .withPollInterval(Duration.ofMillis((long) (pollIntervalSeconds * 1000)));
    }

    /** What keeps the job within --max-cost and never sends a prompt larger than the model's context. */
    public CostGuard costGuard(UsageMeter usage) {
        if (maxCost == null) {
            return CostGuard.unlimited(usage);
        }
        if (!(maxCost > 0)) {
            throw new BadInputException("--max-cost must be a positive number of US dollars, got " + maxCost);
        }
        if (usage.prices().priceOf(model()).isEmpty()) {
            throw new BadInputException("--max-cost needs the price of " + model() + ": pass --prices FILE with {\"" + model()
                    + "\": {\"input\": USD per 1M prompt tokens, \"output\": USD per 1M completion tokens}}");
        }
        return new CostGuard(usage, maxCost);
    }

    @Override
    public PriceTable priceTable() {
        return localModel != null ? PriceTable.free() : super.priceTable();
    }
}
