package org.instruct4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.checkpoint.TorchWeights;
import org.instruct4j.model.cpu.CpuEngine;
import org.instruct4j.model.cpu.ModelQuantizer;
import org.instruct4j.model.engine.EngineChoice;
import org.instruct4j.model.engine.InferenceOptions;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.lora.LoraAdapters;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizers;

/**
 * Hugging Face model directories: config.json, model.safetensors (or shards with an index),
 * generation_config.json and the tokenizer files. Loading also accepts a llama2.c .bin checkpoint.
 */
public final class ModelDirectory {
    /** transformers' save_pretrained default shard limit. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;
    private static final int DEFAULT_MAX_NEW_TOKENS = 256;

    private ModelDirectory() {}

    /** The model in {@code dir}, in fp32 on the default device (CUDA when available). */
    public static LoadedModel load(Path dir) {
        return load(dir, Precision.FP32, Tensors.defaultDevice());
    }

    public static LoadedModel load(Path dir, Precision precision, Device device) {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config) && LoraSpec.isAdapterDirectory(dir)) {
            return loadAdapter(dir, precision, device);
        }
        if (!Files.isRegularFile(config)) {
            throw new BadInputException(dir + ": no config.json; is this a Hugging Face model directory?");
        }
        Map<String, Tensor> weights;
        try (ModelFiles files = ModelFiles.map(dir)) {
            weights = torchWeights(files, t -> t.to(device, precision.scalarType()).contiguous());
        }
        CausalLm model = Architectures.fromConfig(config, weights);
        return new LoadedModel(model, Tokenizers.load(dir), generationDefaults(dir), dir);
    }

    /**
     * A Hugging Face model directory, or (when {@code model} is a file) a llama2.c checkpoint read with
     * {@code tokenizer}, in {@code precision} on the default device (CUDA when available).
     */
    public static LoadedModel open(Path model, Path tokenizer, Precision precision) {
        if (Files.isRegularFile(model)) {
            if (tokenizer == null) {
                throw new BadInputException(model + " is a llama2.c checkpoint: give its tokenizer too");
            }
            return loadLlama2c(model, tokenizer, precision, Tensors.defaultDevice());
        }
        if (!Files.isDirectory(model)) {
            throw new BadInputException(model + ": no such model directory or checkpoint file");
        }
        return load(model, precision, Tensors.defaultDevice());
    }

    /** The weights of {@code files} as libtorch tensors in Hugging Face's layout, each passed through {@code convert}. */
    static Map<String, Tensor> torchWeights(ModelFiles files, UnaryOperator<Tensor> convert) {
        boolean llama = files.config() instanceof LlamaConfig;
        int heads = llama ? ((LlamaConfig) files.config()).numAttentionHeads() : 0;
        int kvHeads = llama ? ((LlamaConfig) files.config()).numKeyValueHeads() : 0;
        return TorchWeights.of(files.weights(), heads, kvHeads, convert);
    }

    /**
     * A model for inference, on the engine {@code options} chooses: a Hugging Face directory (safetensors, or the
     * model.gguf of {@code model quantize}), a LoRA adapter directory (merged into its base), or a llama2.c checkpoint
     * read with {@code tokenizer}. The CPU engine maps the weights and uses them in place.
     */
    public static InferenceModel openForInference(Path model, Path tokenizer, InferenceOptions options) {
        EngineChoice engine = options.engine().resolve();
        if (engine == EngineChoice.TORCH) {
            if (options.quantization() != Quantization.NONE) {
                throw new BadInputException("--quantize " + options.quantization().name().toLowerCase(java.util.Locale.ROOT)
                        + " needs the java engine (--engine java)");
            }
            if (options.kvCache() != Precision.FP32) {
                throw new BadInputException("--kv-cache-dtype " + options.kvCache().name().toLowerCase(java.util.Locale.ROOT)
                        + " needs the java engine (--engine java)");
            }
            LoadedModel loaded = open(model, tokenizer, options.precision());
            return new InferenceModel(new TorchEngine(loaded.model()), loaded.tokenizer(), loaded.defaults(), model);
        }
        boolean file = Files.isRegularFile(model);
        if (file && tokenizer == null) {
            throw new BadInputException(model + " is a llama2.c checkpoint: give its tokenizer too");
        }
        if (!file && !Files.isDirectory(model)) {
            throw new BadInputException(model + ": no such model directory or checkpoint file");
        }
        if (!file && !Files.isRegularFile(model.resolve("config.json")) && LoraSpec.isAdapterDirectory(model)) {
            LoadedModel merged = loadAdapter(model, Precision.FP32, new Device("cpu"));
            return new InferenceModel(CpuEngine.fromTorch(merged.model(), options),
                    merged.tokenizer(), merged.defaults(), model);
        }
        ModelFiles files = ModelFiles.map(model);
        CpuEngine cpu = CpuEngine.open(files.config(), files.weights(), options);
        GenerationConfig defaults = file ? GenerationConfig.greedy(DEFAULT_MAX_NEW_TOKENS) : generationDefaults(model);
        return new InferenceModel(cpu, Tokenizers.load(file ? tokenizer : model), defaults, model);
    }

    /**
     * A PEFT LoRA adapter directory (adapter_config.json + adapter_model.safetensors): its base model
     * (base_model_name_or_path: a model directory, or a llama2.c checkpoint whose tokenizer the adapter directory
     * holds) with the adapter merged into the weights, as PEFT's merge_and_unload gives.
     */
    public static LoadedModel loadAdapter(Path adapterDir, Precision precision, Device device) {
        Path base = adapterBase(adapterDir);
        LoadedModel baseModel = Files.isRegularFile(base)
                ? loadLlama2c(base, adapterDir, precision, device)
                : load(base, precision, device);
        LoraSpec spec = LoraSpec.read(adapterDir);
        LoraAdapters.attach(baseModel.model(), spec, LoraAdapters.read(adapterDir, baseModel.model()), adapterDir.toString());
        return new LoadedModel(LoraAdapters.merge(baseModel.model()), baseModel.tokenizer(), baseModel.defaults(), adapterDir);
    }

    /** base_model_name_or_path of an adapter, resolved against the adapter directory when relative. */
    public static Path adapterBase(Path adapterDir) {
        String name = LoraSpec.baseModel(adapterDir);
        if (name.isEmpty()) {
            throw new BadInputException(adapterDir.resolve(LoraSpec.CONFIG_FILE) + ": field \"base_model_name_or_path\" is empty");
        }
        Path base = Path.of(name);
        if (!base.isAbsolute() && Files.exists(adapterDir.resolve(base))) {
            base = adapterDir.resolve(base);
        }
        if (!Files.exists(base)) {
            throw new BadInputException(adapterDir.resolve(LoraSpec.CONFIG_FILE) + ": base model '" + name
                    + "' not found; it must be a local model directory or llama2.c checkpoint");
        }
        return base;
    }

    /** A llama2.c checkpoint with its tokenizer.bin (or any tokenizer file {@link Tokenizers} reads). */
    public static LoadedModel loadLlama2c(Path checkpoint, Path tokenizer, Precision precision, Device device) {
        CausalLm model = Llama2cCheckpoint.load(checkpoint, precision, device);
        return new LoadedModel(model, Tokenizers.load(tokenizer), GenerationConfig.greedy(DEFAULT_MAX_NEW_TOKENS), checkpoint);
    }

    /**
     * generation_config.json as a {@link GenerationConfig}: sampling settings apply only when do_sample is
     * true (transformers' rule); greedy with 256 new tokens when the file is absent.
     */
    static GenerationConfig generationDefaults(Path dir) {
        Path file = dir.resolve("generation_config.json");
        GenerationConfig greedy = GenerationConfig.greedy(DEFAULT_MAX_NEW_TOKENS);
        if (!Files.isRegularFile(file)) {
            return greedy;
        }
        try {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            GenerationConfig config = greedy.withMaxNewTokens(json.path("max_new_tokens").asInt(DEFAULT_MAX_NEW_TOKENS))
                    .withRepetitionPenalty(json.path("repetition_penalty").asDouble(1.0));
            if (json.path("do_sample").asBoolean(false)) {
                config = config.withSampling(json.path("temperature").asDouble(1.0), json.path("top_p").asDouble(1.0),
                        json.path("top_k").asInt(50), 0);
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (BadInputException e) {
            throw new BadInputException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code model} as a Hugging Face directory that transformers' from_pretrained can load:
     * config.json, model.safetensors (sharded above {@code maxShardBytes}) and the tokenizer files found in
     * {@code tokenizerSource} (a directory, or a single tokenizer file). Every file is written atomically.
     */
    public static void save(CausalLm model, Path dir, Path tokenizerSource, long maxShardBytes) {
        try {
            Files.createDirectories(dir);
            ObjectNode config = model.configJson();
            config.put("transformers_version", "4.46.0");
            AtomicFiles.writeString(dir.resolve("config.json"), config.toPrettyString());
            Safetensors.writeDirectory(model.weights(), dir, maxShardBytes);
            copyTokenizer(tokenizerSource, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void save(CausalLm model, Path dir, Path tokenizerSource) {
        save(model, dir, tokenizerSource, DEFAULT_MAX_SHARD_BYTES);
    }

    /**
     * Writes a quantized copy of {@code model} (a Hugging Face directory, or a llama2.c checkpoint with
     * {@code tokenizer}) to the directory {@code output}: model.gguf (GGUF, matrices in {@code type}, vocabulary and
     * architecture metadata for llama.cpp), config.json, generation_config.json when the model has one, and the
     * tokenizer files. {@link #openForInference} and {@link #load} read it back. Every file is written atomically.
     */
    public static void saveQuantized(Path model, Path tokenizer, Path output, Quantization type) {
        boolean file = Files.isRegularFile(model);
        if (file && tokenizer == null) {
            throw new BadInputException(model + " is a llama2.c checkpoint: give its tokenizer too");
        }
        if (output.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new BadInputException("the output directory " + output + " is the model itself; choose another");
        }
        Path tokenizerSource = file ? tokenizer : model;
        try (ModelFiles files = ModelFiles.map(model)) {
            Files.createDirectories(output);
            ModelQuantizer.write(files, Tokenizers.load(tokenizerSource), output.getFileName().toString(), type,
                    output.resolve(ModelFiles.GGUF_FILE));
            if (file) {
                ObjectNode config = ((LlamaConfig) files.config()).configJson("float32");
                config.put("transformers_version", "4.46.0");
                AtomicFiles.writeString(output.resolve("config.json"), config.toPrettyString());
            } else {
                for (String name : List.of("config.json", "generation_config.json")) {
                    if (Files.isRegularFile(model.resolve(name))) {
                        AtomicFiles.write(output.resolve(name), out -> Files.copy(model.resolve(name), out));
                    }
                }
            }
            copyTokenizer(tokenizerSource, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes generation_config.json with the special ids transformers' generate() needs (greedy decoding, as
     * the defaults of {@link #load} read it back).
     */
    public static void saveGenerationConfig(Path dir, int bosId, int eosId, int padId) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("bos_token_id", bosId);
        json.put("eos_token_id", eosId);
        json.put("pad_token_id", padId);
        json.put("do_sample", false);
        json.put("transformers_version", "4.46.0");
        AtomicFiles.writeString(dir.resolve("generation_config.json"), json.toPrettyString());
    }

    /**
     * Copies the tokenizer files of {@code source} (a directory, or one tokenizer file with the tokenizer_config.json
     * beside it, which holds the chat template) into {@code dir}.
     */
    public static void copyTokenizer(Path source, Path dir) throws IOException {
        Path config = source.toAbsolutePath().resolveSibling("tokenizer_config.json");
        List<Path> files = Files.isDirectory(source)
                ? Tokenizers.FILES.stream().map(source::resolve).filter(Files::isRegularFile).toList()
                : Files.isRegularFile(config) ? List.of(source, config) : List.of(source);
        for (Path file : files) {
            String name = file.getFileName().toString();
            // a llama2.c vocabulary keeps the name the loader looks for, whatever it was called (tok512.bin)
            String target = name.endsWith(".bin") ? "tokenizer.bin" : name;
            if (!file.toAbsolutePath().equals(dir.resolve(target).toAbsolutePath())) {
                AtomicFiles.write(dir.resolve(target), out -> Files.copy(file, out));
            }
        }
    }
}
