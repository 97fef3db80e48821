package org.instruct4j.train.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.ModelFiles;
import org.instruct4j.model.checkpoint.StoredTensor;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Sequence;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.run.BaseModels;

/**
 * A reward model: a causal-LM backbone (Llama family or OPT, the paper's choice) with a scalar head read on the
 * hidden state of the last token of prompt + response + EOS. The text is laid out as for fine-tuning, in the prompt
 * format it was trained with ({@code prompt_format.json}; the Alpaca template by default), so the model scores what a
 * student would write.
 *
 * <p>It is saved as transformers saves {@code LlamaForSequenceClassification} or
 * {@code OPTForSequenceClassification} with one label, so transformers, TRL and vLLM load it as it is:
 * config.json (architectures, id2label, pad_token_id), the backbone's weights under their usual names, and
 * {@code score.weight} [1, hidden]. config.json also records, under {@code instruct4j_reward}, the length limit the
 * model was trained with, so scoring lays text out the same way.
 */
public final class RewardModel {
    public static final String HEAD = "score.weight";
    static final String SETTINGS = "instruct4j_reward";

    private final CausalLm backbone;
    private final Tensor head;
    /** For scoring only: an inference engine running the backbone, and the head's weights; null when libtorch scores. */
    private final InferenceEngine engine;
    private final float[] headWeights;
    private final Tokenizer tokenizer;
    private final ExampleEncoder encoder;
    private final int padId;

    /** {@code head}: [1, hidden], in the backbone's dtype; {@code encoder} lays prompt and response out as tokens. */
    public RewardModel(CausalLm backbone, Tensor head, Tokenizer tokenizer, ExampleEncoder encoder, int padId) {
        this(backbone, head, null, null, tokenizer, encoder, padId);
    }

    private RewardModel(CausalLm backbone, Tensor head, InferenceEngine engine, float[] headWeights, Tokenizer tokenizer,
                        ExampleEncoder encoder, int padId) {
        this.backbone = backbone;
        this.head = head;
        this.engine = engine;
        this.headWeights = headWeights;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.padId = padId;
    }

    /** The tokens the model reads for a prompt and response: BOS, prompt, response, EOS, cut at the length limit. */
    public int[] encode(AlpacaExample example) {
        return encoder.encode(example, 0).tokens();
    }

    /** The rewards [rows] (fp32) of token sequences, with gradients unless disabled (a model loaded for training). */
    public Tensor rewards(List<int[]> sequences) {
        RewardBatch batch = RewardBatch.of(sequences, padId, backbone.device());
        Tensor hidden = backbone.hiddenStates(batch.inputIds(), batch.positions(), null);
        Tensor last = hidden.reshape(-1, hidden.size(-1)).index_select(0, batch.lastIndex());
        return torch.linear(last, head).reshape(-1).to(ScalarType.Float);
    }

    /** The reward of each example, computed in batches of about equal length, without gradients. */
    public double[] score(List<AlpacaExample> examples, int batchSize) {
        List<int[]> sequences = examples.stream().map(this::encode).toList();
        return scoreSequences(sequences, batchSize);
    }

    /** The rewards of several responses to one instruction (and input), in batches of 8. */
    public double[] scoreResponses(String instruction, String input, List<String> responses) {
        return score(responses.stream().map(r -> new AlpacaExample(instruction, input, r)).toList(), 8);
    }

    double[] scoreSequences(List<int[]> sequences, int batchSize) {
        if (engine != null) {
            return scoreWithEngine(sequences, batchSize);
        }
        double[] rewards = new double[sequences.size()];
        List<Integer> order = IntStream.range(0, sequences.size()).boxed()
                .sorted(Comparator.comparingInt(i -> -sequences.get(i).length)).toList();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int start = 0; start < order.size(); start += batchSize) {
                List<Integer> slice = order.subList(start, Math.min(order.size(), start + batchSize));
                float[] values;
                try (PointerScope scope = new PointerScope()) {
                    values = Tensors.toFloats(rewards(slice.stream().map(sequences::get).toList()));
                }
                for (int i = 0; i < slice.size(); i++) {
                    rewards[slice.get(i)] = values[i];
                }
            }
        }
        return rewards;
    }

    /** The head on the engine's last hidden state of each sequence, {@code batchSize} sequences per pass. */
    private double[] scoreWithEngine(List<int[]> sequences, int batchSize) {
        double[] rewards = new double[sequences.size()];
        float[][] hidden = new float[batchSize][engine.hiddenSize()];
        Batch batch = new Batch();
        for (int start = 0; start < sequences.size(); start += batchSize) {
            int end = Math.min(sequences.size(), start + batchSize);
            List<Sequence> rows = new ArrayList<>();
            try {
                batch.clear();
                for (int i = start; i < end; i++) {
                    int[] tokens = sequences.get(i);
                    Sequence row = engine.newSequence(tokens.length);
                    rows.add(row);
                    batch.addHidden(row, tokens, 0, tokens.length, hidden[i - start]);
                }
                engine.forward(batch);
            } finally {
                rows.forEach(Sequence::close);
            }
            for (int i = start; i < end; i++) {
                double reward = 0;
                for (int j = 0; j < headWeights.length; j++) {
                    reward += (double) headWeights[j] * hidden[i - start][j];
                }
                rewards[i] = reward;
            }
        }
        return rewards;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** {@code causalLm} without its language-model head, which a reward model does not use. */
    public static CausalLm backbone(CausalLm causalLm) {
        Map<String, Tensor> weights = new LinkedHashMap<>(causalLm.weights());
        weights.remove("lm_head.weight");
        return weights.size() == causalLm.weights().size() ? causalLm : causalLm.withWeights(weights);
    }

    /** A fresh head [1, hidden] in fp32, normal(0, 0.02) as transformers initialises it; the same seed gives the same head. */
    public static Tensor initialHead(CausalLm backbone, long seed) {
        torch.manual_seed(seed);
        Tensor head = torch.randn(new long[] {1, backbone.hiddenSize()}, new TensorOptions(ScalarType.Float)).mul(new Scalar(0.02));
        return Tensors.keep(head.to(backbone.device(), ScalarType.Float));
    }

    /** The width of the hidden states the head reads (OPT's word_embed_proj_dim, Llama's hidden_size). */
    private static long hiddenSize(CausalLm backbone) {
        return backbone.weights().entrySet().stream().filter(e -> e.getKey().endsWith("embed_tokens.weight"))
                .findFirst().orElseThrow(() -> new IllegalStateException("the backbone has no embed_tokens.weight"))
                .getValue().size(1);
    }

    /**
     * Writes a reward model directory: {@code backbone} and {@code head} (fp32) in transformers' sequence-classification
     * layout, the tokenizer files of {@code tokenizerSource}, and the length limit it reads text with.
     */
    public static void save(Path dir, CausalLm backbone, Tensor head, Path tokenizerSource, int maxLength, int padId) {
        ObjectNode config = backbone.configJson();
        String causal = config.path("architectures").path(0).asText();
        config.putArray("architectures").add(causal.replace("ForCausalLM", "ForSequenceClassification"));
        config.putObject("id2label").put("0", "LABEL_0");
        config.putObject("label2id").put("LABEL_0", 0);
        config.put("pad_token_id", padId);
        config.put("transformers_version", "4.46.0");
        ObjectNode settings = config.putObject(SETTINGS);
        settings.put("max_length", maxLength);
        Map<String, Tensor> weights = new LinkedHashMap<>(backbone.weights());
        weights.put(HEAD, head);
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve("config.json"), config.toPrettyString());
            Safetensors.writeDirectory(weights, dir, ModelDirectory.DEFAULT_MAX_SHARD_BYTES);
            ModelDirectory.copyTokenizer(tokenizerSource, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the reward model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The reward model in {@code dir} (written by {@link #save}, or by transformers with one label), reading text in
     * {@code format}, or when null in the format it was trained with (alpaca when it records none).
     */
    public static RewardModel load(Path dir, Precision precision, PromptFormat format) {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new BadInputException(dir + ": no config.json; is this a reward model directory (instruct4j train reward)?");
        }
        JsonNode config = readJson(configFile);
        Map<String, Tensor> weights = new LinkedHashMap<>(Safetensors.readDirectory(dir,
                t -> t.to(Tensors.defaultDevice(), precision.scalarType()).contiguous()));
        Tensor head = weights.remove(HEAD);
        if (head == null) {
            throw new BadInputException(dir + ": no tensor '" + HEAD + "' (architectures "
                    + config.path("architectures") + "); a reward model is a ...ForSequenceClassification model with one label");
        }
        if (head.dim() != 2 || head.size(0) != 1) {
            throw new BadInputException(dir + ": '" + HEAD + "' has " + head.size(0)
                    + " labels; a reward model has exactly one (num_labels = 1)");
        }
        CausalLm backbone = Architectures.fromConfig(configFile, weights);
        Tokenizer tokenizer = Tokenizers.load(dir);
        return new RewardModel(backbone, head, null, null, tokenizer, encoder(dir, config, tokenizer, backbone.maxPositions(), format),
                padId(config, tokenizer));
    }

    /**
     * The reward model in {@code dir} for scoring only, on the engine {@code options} chooses: the CPU engine maps the
     * backbone's weights and the head is applied in Java; libtorch loads it as {@link #load} does. Text is read in
     * {@code format}, or when null in the format the model was trained with.
     */
    public static RewardModel loadForScoring(Path dir, InferenceOptions options, PromptFormat format) {
        if (options.engine().resolve() == EngineChoice.TORCH) {
            return load(dir, options.precision(), format);
        }
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException(dir + ": no config.json; is this a reward model directory (instruct4j train reward)?");
        }
        JsonNode config = readJson(configFile);
        ModelFiles files = ModelFiles.map(dir);
        StoredTensor head = files.weights().optional(HEAD);
        if (head == null || head.shape().length != 2 || head.shape()[0] != 1) {
            files.close();
            throw new IllegalArgumentException(dir + ": no one-label '" + HEAD + "' [1, hidden]; a reward model is a "
                    + "...ForSequenceClassification model with one label");
        }
        float[] headWeights = head.toFloats();
        CpuEngine engine = CpuEngine.open(files.config(), files.weights(), options);
        Tokenizer tokenizer = Tokenizers.load(dir);
        return new RewardModel(null, null, engine, headWeights, tokenizer,
                encoder(dir, config, tokenizer, engine.maxPositions(), format), padId(config, tokenizer));
    }

    /**
     * Lays text out as the model was trained to read it (the prompt format it records and the length limit its
     * config.json records), or in {@code format} when one is given.
     */
    private static ExampleEncoder encoder(Path dir, JsonNode config, Tokenizer tokenizer, int maxPositions, PromptFormat format) {
        JsonNode settings = config.path(SETTINGS);
        int maxLength = settings.path("max_length").asInt(maxPositions);
        // models trained before prompt_format.json recorded their template here
        PromptFormat readAs = format != null ? format
                : PromptFormat.recordedIn(dir).orElseGet(() -> PromptFormat.parse(settings.path("template").asText("alpaca")));
        return new ExampleEncoder(ModelPrompt.of(readAs, dir, null, tokenizer), maxLength);
    }

    private static int padId(JsonNode config, Tokenizer tokenizer) {
        return config.path("pad_token_id").canConvertToInt() && config.path("pad_token_id").asInt() >= 0
                ? config.path("pad_token_id").asInt() : BaseModels.padId(tokenizer);
    }

    private static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
