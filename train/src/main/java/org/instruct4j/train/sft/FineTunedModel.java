package org.instruct4j.train.sft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.LowRankAdapter;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.lora.LoraAdapters;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;

/**
 * The model being fine-tuned and what is trained in it: every weight (full fine-tuning) or LoRA adapters on a
 * frozen base. It saves itself in the form others load: a Hugging Face model directory (full), or a PEFT
 * adapter directory (LoRA), which is also the model part of a checkpoint.
 */
final class FineTunedModel {
    private final CausalLm working;
    private final CausalLm fp32;
    private final TrainableWeights weights;
    private final LoraSpec lora;
    private final List<LowRankAdapter> adapters;
    private final Path tokenizerSource;
    private final String baseName;

    private FineTunedModel(CausalLm working, CausalLm fp32, TrainableWeights weights, LoraSpec lora,
                           List<LowRankAdapter> adapters, Path tokenizerSource, String baseName) {
        this.working = working;
        this.fp32 = fp32;
        this.weights = weights;
        this.lora = lora;
        this.adapters = adapters;
        this.tokenizerSource = tokenizerSource;
        this.baseName = baseName;
    }

    /** All weights trained: fp32 masters, computing in {@code precision}. */
    static FineTunedModel full(CausalLm base, Precision precision, Path tokenizerSource) {
        CausalLm working = inPrecision(base, precision);
        return new FineTunedModel(working, base, new TrainableWeights(working.weights(), base.weights()), null, List.of(),
                tokenizerSource, null);
    }

    /** LoRA adapters (fresh, seeded) on the frozen base; {@code baseName} is recorded in adapter_config.json. */
    static FineTunedModel lora(CausalLm base, Precision precision, LoraSpec spec, long seed, Path tokenizerSource, String baseName) {
        CausalLm working = inPrecision(base, precision);
        Map<String, Tensor> masters = LoraAdapters.initialise(working, spec, seed);
        Map<String, Tensor> adapterTensors = new LinkedHashMap<>();
        masters.forEach((name, t) ->
                adapterTensors.put(name, precision == Precision.FP32 ? t : Tensors.keep(t.to(precision.scalarType()))));
        Map<String, LowRankAdapter> adapters = LoraAdapters.attach(working, spec, adapterTensors, "LoRA initialisation");
        return new FineTunedModel(working, base, new TrainableWeights(adapterTensors, masters), spec,
                List.copyOf(adapters.values()), tokenizerSource, baseName);
    }

    private static CausalLm inPrecision(CausalLm model, Precision precision) {
        if (precision == model.precision()) {
            return model;
        }
        Map<String, Tensor> converted = new LinkedHashMap<>();
        model.weights().forEach((name, w) -> converted.put(name, Tensors.keep(w.to(precision.scalarType()).contiguous())));
        return model.withWeights(converted);
    }

    CausalLm model() {
        return working;
    }

    TrainableWeights weights() {
        return weights;
    }

    boolean isLora() {
        return lora != null;
    }

    /** Dropout (LoRA's) on while training, off while evaluating. */
    void training(boolean on) {
        adapters.forEach(a -> a.training(on));
    }

    /**
     * Writes the trained model into {@code dir}: config.json, model.safetensors (fp32 master weights), the
     * tokenizer files and generation_config.json; or for LoRA adapter_config.json, adapter_model.safetensors
     * and the tokenizer files.
     */
    void save(Path dir, int bosId, int eosId, int padId) {
        try {
            Files.createDirectories(dir);
            if (isLora()) {
                LoraAdapters.save(weights.master(), lora, baseName, dir);
                ModelDirectory.copyTokenizer(tokenizerSource, dir);
            } else {
                CausalLm master = fp32 == working ? working : fp32.withWeights(weights.master());
                ModelDirectory.save(master, dir, tokenizerSource);
                ModelDirectory.saveGenerationConfig(dir, bosId, eosId, padId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Restores the trained weights from a directory {@link #save} wrote. */
    void restore(Path dir) {
        Map<String, Tensor> saved = isLora()
                ? Safetensors.read(dir.resolve(LoraAdapters.WEIGHTS_FILE), t -> t)
                : Safetensors.readDirectory(dir, t -> t);
        weights.restore(saved, dir.toString());
    }
}
