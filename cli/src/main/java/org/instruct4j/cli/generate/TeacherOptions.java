package org.instruct4j.cli.generate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.serve.LocalChatClient;
import org.instruct4j.serve.LocalEngine;
import org.instruct4j.teacher.batch.BatchOptions;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.usage.PriceTable;
import picocli.CommandLine.Option;

/** Options every command that calls a teacher shares: the API options, plus a local model or the Batch API instead. */
public final class TeacherOptions extends ApiTeacherOptions {
    @Option(names = "--local-model", paramLabel = "DIR",
            description = "Answer with a local model instead of an API: a Hugging Face model directory, or a llama2.c .bin with --local-tokenizer.")
    Path localModel;

    @Option(names = "--local-tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c --local-model checkpoint.")
    Path localTokenizer;

    @Option(names = "--local-dtype", paramLabel = "fp32|bf16", defaultValue = "fp32",
            description = "Precision of the local model (default: ${DEFAULT-VALUE}; bf16 halves the memory; on CPUs without native bf16 it decodes larger models faster but prefills slower).")
    String localDtype;

    @Option(names = "--local-batch-size", paramLabel = "N", defaultValue = "8",
            description = "Concurrent requests the local model generates together (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--batch-api",
            description = "Send the requests through the OpenAI Batch API (half the price, results within 24 h). Batch ids are kept in O.batches.json, so rerunning the command picks up the batches already submitted.")
    boolean batchApi;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --batch-api: seconds between polls of the open batches (default: ${DEFAULT-VALUE}).")
    double pollIntervalSeconds;

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
            throw new IllegalArgumentException("--batch-api needs an API endpoint; it cannot be used with --local-model");
        }
        if (localTokenizer == null && Files.isRegularFile(localModel)) {
            throw new BadInputException("--local-model " + localModel + " is a llama2.c checkpoint: give its --local-tokenizer");
        }
        PromptFormat format = promptFormat(PromptFormat.ALPACA);
        LoadedModel loaded = ModelDirectory.open(localModel, localTokenizer, Precision.parse(localDtype));
        ModelPrompt prompt = ModelPrompt.of(format, localModel, localTokenizer, loaded.tokenizer());
        String name = localModel.toAbsolutePath().normalize().getFileName().toString();
        return new LocalChatClient(new LocalEngine(loaded, localBatchSize), prompt, name, localSeed, localTruncate);
    }

    public BatchOptions batchOptions() {
        if (pollIntervalSeconds <= 0) {
            throw new IllegalArgumentException("--poll-interval must be positive");
        }
        return BatchOptions.defaults(jobOptions().retry(), retryFailed, quiet)
                .withPollInterval(Duration.ofMillis((long) (pollIntervalSeconds * 1000)));
    }

    @Override
    public PriceTable priceTable() {
        return localModel != null ? PriceTable.free() : super.priceTable();
    }
}
