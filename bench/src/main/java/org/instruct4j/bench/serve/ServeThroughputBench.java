package org.instruct4j.bench.serve;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.pytorch.Device;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.serve.LocalEngine;
import org.instruct4j.serve.http.OpenAiServer;
import org.instruct4j.serve.http.ServeOptions;
import org.instruct4j.testkit.SharedData;

/**
 * Issue 8's serving benchmark: requests/s and generated tokens/s of `serve` with 1, 8 and 32 concurrent clients
 * (the official OpenAI Java SDK over HTTP), each asking for a 64-token greedy answer to an Alpaca instruction.
 * The baseline is the same model answering the same requests one at a time in process, without HTTP or batching.
 *
 * <p>Usage: {@code ServeThroughputBench [model=260K|15M] [requestsPerClient=4] [runs=3] [maxBatch=32]}
 */
public final class ServeThroughputBench {
    private static final int MAX_TOKENS = 64;

    private ServeThroughputBench() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "260K";
        int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int maxBatch = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        LoadedModel model = load(which);
        System.out.printf("model %s, %d-token greedy answers, batches of up to %d%n", which, MAX_TOKENS, maxBatch);
        double sequential = sequentialTokensPerSecond(model, 8);
        System.out.printf("baseline, one request at a time in process: %.1f tokens/s%n", sequential);
        try (LocalEngine engine = new LocalEngine(model, maxBatch);
                OpenAiServer server = OpenAiServer.start(engine, ModelPrompt.of(PromptFormat.ALPACA, model),
                        new ServeOptions("127.0.0.1", 0, "bench", null, MAX_TOKENS, MAX_TOKENS, 1 << 20))) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("none").maxRetries(0).build();
            ask(client, 0, 1);
            for (int clients : new int[] {1, 8, 32}) {
                double[] requestRate = new double[runs];
                double[] tokenRate = new double[runs];
                for (int run = 0; run < runs; run++) {
                    long[] before = engine.batchStatistics();
                    long start = System.nanoTime();
                    long tokens = 0;
                    List<Future<Long>> done = new ArrayList<>();
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int c = 0; c < clients; c++) {
                            int offset = c * perClient;
                            done.add(pool.submit(() -> ask(client, offset, perClient)));
                        }
                    }
                    for (Future<Long> f : done) {
                        tokens += f.get();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long[] after = engine.batchStatistics();
                    requestRate[run] = clients * perClient / seconds;
                    tokenRate[run] = tokens / seconds;
                    System.out.printf("  %2d clients, run %d: %.2f req/s, %.1f tokens/s, mean batch %.1f%n", clients, run + 1,
                            requestRate[run], tokenRate[run], (double) (after[1] - before[1]) / (after[0] - before[0]));
                }
                System.out.printf("%2d clients: median %.2f req/s, %.1f tokens/s = %.2fx the one-at-a-time baseline%n", clients,
                        median(requestRate), median(tokenRate), median(tokenRate) / sequential);
            }
            client.close();
        }
    }

    private static long ask(OpenAIClient client, int offset, int count) {
        long tokens = 0;
        for (int i = 0; i < count; i++) {
            ChatCompletion reply = client.chat().completions().create(ChatCompletionCreateParams.builder().model("bench")
                    .addUserMessage(instruction(offset + i)).temperature(0).maxCompletionTokens(MAX_TOKENS).build());
            tokens += reply.usage().orElseThrow().completionTokens();
        }
        return tokens;
    }

    private static String instruction(int i) {
        String[] topics = {"the water cycle", "a healthy breakfast", "the French revolution", "prime numbers", "a rainy day",
            "photosynthesis", "a job interview", "the moon landing"};
        return "Write a short story about " + topics[i % topics.length] + " for a child aged " + (4 + i % 7) + ".";
    }

    private static double sequentialTokensPerSecond(LoadedModel model, int requests) {
        GenerationConfig greedy = GenerationConfig.greedy(MAX_TOKENS);
        var generator = model.generator();
        generator.generate(AlpacaPrompt.render(instruction(0), ""), greedy);
        long start = System.nanoTime();
        long tokens = 0;
        for (int i = 0; i < requests; i++) {
            String prompt = AlpacaPrompt.render(instruction(i), "");
            tokens += generator.generate(prompt, greedy).tokenIds().length;
        }
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    private static LoadedModel load(String which) {
        Device cpu = new Device("cpu");
        if (which.equals("15M")) {
            Tokenizer llama2 = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
            var config = LlamaConfig.preset("small", llama2.vocabSize());
            return new LoadedModel(Architectures.randomLlama(config, Precision.FP32, cpu, 1), llama2,
                    GenerationConfig.greedy(MAX_TOKENS), null);
        }
        return ModelDirectory.loadLlama2c(SharedData.path("models/stories260K/stories260K.bin"),
                SharedData.path("models/stories260K/tok512.bin"), Precision.FP32, cpu);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
