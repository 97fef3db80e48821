package org.instruct4j.train.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.LowRankAdapter;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.lora.LoraAdapters;
import org.instruct4j.model.lora.LoraSpec;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.optim.AdamW;

/**
 * The model being fine-tuned and what is trained in it: every weight (full fine-tuning) or LoRA adapters on a
 * frozen base, plus any head of a recipe's own (the reward model's score), always trained in full. It saves
 * itself in the form others load: a Hugging Face model directory (full), or a PEFT adapter directory (LoRA),
 * which is also the model part of a checkpoint.
 */
public final class FineTunedModel {
    private final CausalLm working;
    private final CausalLm fp32;
    private final TrainableWeights weights;
    private final LoraSpec lora;
    private final List<LowRankAdapter> adapters;
    private final Map<String, Tensor> heads;
    private final Path tokenizerSource;
    private final String baseName;
    /** The working model under activation checkpointing, else null. */
    private CheckpointedModel checkpointed;

    private FineTunedModel(CausalLm working, CausalLm fp32, TrainableWeights weights, LoraSpec lora,
                           List<LowRankAdapter> adapters, Map<String, Tensor> heads, Path tokenizerSource, String baseName) {
        this.working = working;
        this.fp32 = fp32;
        this.weights = weights;
        this.lora = lora;
        this.adapters = adapters;
        this.heads = heads;
        this.tokenizerSource = tokenizerSource;
        this.baseName = baseName;
    }

    /**
     * What {@code settings} ask for on {@code base}: LoRA adapters or every weight, in the run's precision, with
     * {@code heads} (fp32, by name; may be empty) trained in full beside them.
     */
    public static FineTunedModel of(Settings settings, CausalLm base, Map<String, Tensor> heads) {
        Path tokenizerSource = BaseModels.tokenizerSource(settings);
        Precision precision = TrainingSettings.precision(settings);
        FineTunedModel model = settings.get(TrainingSettings.LORA)
                ? lora(base, precision, TrainingSettings.loraSpec(settings), settings.get(TrainingSettings.SEED), tokenizerSource,
                        settings.get(TrainingSettings.BASE).toAbsolutePath().normalize().toString(), heads)
                : full(base, precision, tokenizerSource, heads);
        boolean checkpointing = settings.get(TrainingSettings.GRADIENT_CHECKPOINTING);
        boolean dropout = settings.get(TrainingSettings.LORA) && settings.get(TrainingSettings.LORA_DROPOUT) > 0;
        if (checkpointing && dropout && !base.device().is_cpu()) {
            throw new BadInputException("--gradient-checkpointing with --lora-dropout above 0 runs on the CPU only (the "
                    + "recomputed layers replay the CPU generator's dropout masks); set --lora-dropout=0");
        }
        return model.checkpointActivations(checkpointing);
    }

    /**
     * Whether from now on the training pass keeps only each layer's input and recomputes the layers in the backward
     * pass ({@link CheckpointedModel}); {@link #completeBackward} must follow each backward pass.
     */
    public FineTunedModel checkpointActivations(boolean on) {
        checkpointed = on ? new CheckpointedModel(working) : null;
        return this;
    }

    /** Ends the backward pass of a micro-batch: under activation checkpointing, through the recomputed layers. */
    public void completeBackward() {
        if (checkpointed != null) {
            checkpointed.backward();
        }
    }

    /** All weights trained: fp32 masters, computing in {@code precision}. */
    public static FineTunedModel full(CausalLm base, Precision precision, Path tokenizerSource) {
        return full(base, precision, tokenizerSource, Map.of());
    }

    /** All weights and {@code heads} (fp32, by name) trained, computing in {@code precision}. */
    public static FineTunedModel full(CausalLm base, Precision precision, Path tokenizerSource, Map<String, Tensor> heads) {
        CausalLm working = inPrecision(base, precision);
        Map<String, Tensor> workingHeads = inPrecision(heads, precision);
        return new FineTunedModel(working, base, new TrainableWeights(union(working.weights(), workingHeads),
                union(base.weights(), heads)), null, List.of(), workingHeads, tokenizerSource, null);
    }

    /** LoRA adapters (fresh, seeded) on the frozen base; {@code baseName} is recorded in adapter_config.json. */
    public static FineTunedModel lora(CausalLm base, Precision precision, LoraSpec spec, long seed, Path tokenizerSource,
                                      String baseName) {
        return lora(base, precision, spec, seed, tokenizerSource, baseName, Map.of());
    }

    /** LoRA adapters on the frozen base, and {@code heads} (fp32, by name) trained in full. */
    public static FineTunedModel lora(CausalLm base, Precision precision, LoraSpec spec, long seed, Path tokenizerSource,
                                      String baseName, Map<String, Tensor> heads) {
        CausalLm working = inPrecision(base, precision);
        Map<String, Tensor> masters = LoraAdapters.initialise(working, spec, seed);
        Map<String, Tensor> adapterTensors = inPrecision(masters, precision);
        Map<String, LowRankAdapter> adapters = LoraAdapters.attach(working, spec, adapterTensors, "LoRA initialisation");
        Map<String, Tensor> workingHeads = inPrecision(heads, precision);
        return new FineTunedModel(working, base, new TrainableWeights(union(adapterTensors, workingHeads), union(masters, heads)),
                spec, List.copyOf(adapters.values()), workingHeads, tokenizerSource, baseName);
    }

    private static CausalLm inPrecision(CausalLm model, Precision precision) {
        return precision == model.precision() ? model : model.withWeights(inPrecision(model.weights(), precision));
    }

    /** The same tensors when {@code precision} is fp32, else converted copies. */
    private static Map<String, Tensor> inPrecision(Map<String, Tensor> tensors, Precision precision) {
        Map<String, Tensor> converted = new LinkedHashMap<>();
        tensors.forEach((name, t) -> converted.put(name, t.scalar_type().intern() == precision.scalarType() ? t
                : Tensors.keep(t.to(precision.scalarType()).contiguous())));
        return converted;
    }

    private static Map<String, Tensor> union(Map<String, Tensor> first, Map<String, Tensor> second) {
        Map<String, Tensor> all = new LinkedHashMap<>(first);
        all.putAll(second);
        return all;
    }

    /** AdamW over the trained fp32 masters, with the settings of {@code settings}. */
    public AdamW optimizer(Settings settings) {
        return new AdamW(weights.master().values(), settings.get(TrainingSettings.ADAM_BETA1), settings.get(TrainingSettings.ADAM_BETA2),
                settings.get(TrainingSettings.ADAM_EPSILON), settings.get(TrainingSettings.WEIGHT_DECAY));
    }

    /**
     * One line for the log: what is trained, how many parameters, in which precision, for how many steps of what, and
     * how many micro-batches at a time ({@code concurrent}).
     */
    public String describe(Settings settings, int totalSteps, String rows, int concurrent) {
        return String.format("training %s: %,d parameters, %s, %d steps of %d %s (%d x %d accumulated%s)",
                isLora() ? "LoRA adapters" : "all weights", weights.parameterCount(),
                working.precision() == Precision.BF16 ? "bf16 compute, fp32 master weights" : "fp32", totalSteps,
                settings.get(TrainingSettings.BATCH_SIZE), rows, TrainingSettings.accumulationSteps(settings),
                settings.get(TrainingSettings.MICRO_BATCH_SIZE), concurrent > 1 ? ", " + concurrent + " at a time" : "");
    }

    /** The model computing in the run's precision (with the adapters attached, under LoRA; checkpointed if asked). */
    public CausalLm model() {
        return checkpointed == null ? working : checkpointed;
    }

    /** The working copy of head {@code name}, in the run's precision. */
    public Tensor head(String name) {
        Tensor head = heads.get(name);
        if (head == null) {
            throw new IllegalStateException("no head named " + name);
        }
        return head;
    }

    public TrainableWeights weights() {
        return weights;
    }

    public boolean isLora() {
        return lora != null;
    }

    /** Dropout (LoRA's) on while training, off while evaluating. */
    public void training(boolean on) {
        adapters.forEach(a -> a.training(on));
    }

    /** The trained network in fp32 without adapters: the master weights, or under LoRA the base with them merged in. */
    public CausalLm masterModel() {
        if (isLora()) {
            Map<String, Tensor> adapterMasters = new LinkedHashMap<>(weights.master());
            heads.keySet().forEach(adapterMasters::remove);
            return LoraAdapters.merge(fp32, lora, adapterMasters);
        }
        if (fp32 == working) {
            return working;
        }
        Map<String, Tensor> backbone = new LinkedHashMap<>(weights.master());
        heads.keySet().forEach(backbone::remove);
        return fp32.withWeights(backbone);
    }

    /**
     * Writes the trained model into {@code dir}: config.json, model.safetensors (fp32 master weights), the
     * tokenizer files and generation_config.json; or for LoRA adapter_config.json, adapter_model.safetensors
     * and the tokenizer files.
     */
    public void save(Path dir, int bosId, int eosId, int padId) {
        try {
            Files.createDirectories(dir);
            if (isLora()) {
                saveAdapters(dir);
                ModelDirectory.copyTokenizer(tokenizerSource, dir);
            } else {
                ModelDirectory.save(masterModel(), dir, tokenizerSource);
                ModelDirectory.saveGenerationConfig(dir, bosId, eosId, padId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Under LoRA: adapter_config.json and adapter_model.safetensors (the adapters' fp32 masters) in {@code dir}. */
    public void saveAdapters(Path dir) {
        Map<String, Tensor> adapterMasters = new LinkedHashMap<>(weights.master());
        heads.keySet().forEach(adapterMasters::remove);
        LoraAdapters.save(adapterMasters, lora, baseName, dir);
    }

    /**
     * Restores the trained weights from a directory a save wrote: model.safetensors (full fine-tuning, and
     * the heads) and adapter_model.safetensors (LoRA).
     */
    public void restore(Path dir) {
        Map<String, Tensor> saved = new LinkedHashMap<>();
        if (!isLora() || !heads.isEmpty()) {
            saved.putAll(Safetensors.readDirectory(dir, t -> t));
        }
        if (isLora()) {
            saved.putAll(Safetensors.read(dir.resolve(LoraAdapters.WEIGHTS_FILE), t -> t));
        }
        weights.restore(saved, dir.toString());
    }
}
