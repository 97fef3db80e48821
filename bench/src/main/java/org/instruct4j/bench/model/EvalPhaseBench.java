package org.instruct4j.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Device;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.serve.LocalModel;
import org.instruct4j.serve.schedule.Job;
import org.instruct4j.serve.schedule.SchedulerOptions;
import org.instruct4j.serve.schedule.Ticket;
import org.instruct4j.testkit.SharedData;

/**
 * The quickstart's evaluation phase: the student answers the 80 Vicuna questions and 100 held-out Alpaca
 * instructions (Alpaca prompt, greedy, up to 128 new tokens, stopping at EOS), all submitted at once to a
 * {@link LocalModel} (continuous batching) of 8 rows as the quickstart does; on libtorch, then on the CPU engine, in the same run.
 *
 * <p>Usage: {@code bench/run model.EvalPhaseBench [260K|110M] [maxNewTokens=128]} (110M: a random Llama of
 * llama2.c's 110M shape, close to the quickstart's default SmolLM2-135M, which is not available offline).
 */
public final class EvalPhaseBench {
    private EvalPhaseBench() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "260K";
        int maxNewTokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        List<String> prompts = prompts();
        System.out.printf("load average at start: %s; %d prompts, %s, up to %d new tokens%n", ModelBenchmark.loadAverage(),
                prompts.size(), which, maxNewTokens);
        double torchSeconds = 0;
        for (EngineChoice engine : List.of(EngineChoice.TORCH, EngineChoice.JAVA)) {
            try (LocalModel local = LocalModel.start(load(which, engine), SchedulerOptions.defaults().withMaxRows(8))) {
                Tokenizer tokenizer = local.model().tokenizer();
                GenerationConfig config = GenerationConfig.greedy(maxNewTokens);
                long start = System.nanoTime();
                List<Job> jobs = new ArrayList<>();
                for (String prompt : prompts) {
                    jobs.add(Job.of(tokenizer.encode(prompt, true), config));
                }
                long tokens = 0;
                for (Ticket answer : local.queue().submit(jobs)) {
                    tokens += answer.result().get().generation().tokenIds().length;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (engine == EngineChoice.TORCH) {
                    torchSeconds = seconds;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %.1f s | %d tokens | %.1f tokens/s | %.2fx | load %s |%n", which,
                        local.model().engine().description(), seconds, tokens, tokens / seconds, torchSeconds / seconds,
                        ModelBenchmark.loadAverage());
            }
        }
    }

    private static List<String> prompts() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> prompts = new ArrayList<>();
        for (String line : Files.readAllLines(SharedData.path("gpt4llm/vicuna_question_80.jsonl"))) {
            prompts.add(alpaca(json.readTree(line).path("text").asText()));
        }
        JsonNode alpaca = json.readTree(SharedData.path("alpaca/alpaca_5000_subset_pr152.json").toFile());
        for (int i = alpaca.size() - 100; i < alpaca.size(); i++) {
            JsonNode row = alpaca.get(i);
            String input = row.path("input").asText();
            prompts.add(alpaca(row.path("instruction").asText() + (input.isEmpty() ? "" : "\n\n" + input)));
        }
        return prompts;
    }

    private static String alpaca(String question) {
        return AlpacaPrompt.render(question, "");
    }

    private static InferenceModel load(String which, EngineChoice engine) {
        if (which.equals("110M")) {
            Tokenizer llama2 = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
            Llama random = Architectures.randomLlama(LlamaConfig.preset("base", llama2.vocabSize()), Precision.FP32,
                    new Device("cpu"), 1);
            InferenceEngine running = engine == EngineChoice.TORCH ? new TorchEngine(random)
                    : CpuEngine.fromTorch(random, InferenceOptions.defaults());
            return new InferenceModel(running, llama2, GenerationConfig.greedy(128), null);
        }
        Path checkpoint = SharedData.path("models/stories260K/stories260K.bin");
        return ModelDirectory.openForInference(checkpoint, SharedData.path("models/stories260K/tok512.bin"),
                InferenceOptions.defaults().withEngine(engine));
    }
}
