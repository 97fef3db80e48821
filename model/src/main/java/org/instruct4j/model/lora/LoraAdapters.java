package org.instruct4j.model.lora;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.arch.LowRankAdapter;
import org.instruct4j.model.arch.Projection;
import org.instruct4j.model.checkpoint.Safetensors;
import org.instruct4j.model.tensor.Tensors;

/**
 * Creates, attaches, saves, loads and merges LoRA adapters on a model's projections. Tensors are named as
 * PEFT saves them in adapter_model.safetensors: {@code base_model.model.<module>.lora_A.weight} and
 * {@code ...lora_B.weight}, so adapters trained here load in PEFT and the other way round.
 */
public final class LoraAdapters {
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";

    private LoraAdapters() {}

    public static String peftName(String module, char matrix) {
        return PREFIX + module + ".lora_" + matrix + ".weight";
    }

    /**
     * Fresh adapter tensors for every targeted projection, initialised as PEFT does: A from kaiming_uniform(a=sqrt 5),
     * i.e. uniform(-1/sqrt(in), 1/sqrt(in)), and B zero, so the adapted model starts equal to the base. fp32 on the
     * model's device, by PEFT name. The same seed gives the same tensors.
     */
    public static Map<String, Tensor> initialise(CausalLm model, LoraSpec spec, long seed) {
        torch.manual_seed(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        TensorOptions floats = new TensorOptions(ScalarType.Float);
        for (var entry : targeted(model, spec).entrySet()) {
            Projection p = entry.getValue();
            double bound = 1.0 / Math.sqrt(p.inFeatures());
            Tensor a = torch.rand(new long[] {spec.rank(), p.inFeatures()}, floats).mul(new Scalar(2 * bound)).sub(new Scalar(bound));
            Tensor b = torch.zeros(new long[] {p.outFeatures(), spec.rank()}, floats);
            tensors.put(peftName(entry.getKey(), 'A'), Tensors.keep(a.to(model.device(), ScalarType.Float)));
            tensors.put(peftName(entry.getKey(), 'B'), Tensors.keep(b.to(model.device(), ScalarType.Float)));
        }
        return tensors;
    }

    /**
     * Attaches adapters over {@code tensors} (by PEFT name, used as they are: their dtype should be the model's)
     * to every targeted projection; fails when one is missing or an adapter names no targeted projection.
     * Returns the adapters by module name.
     */
    public static Map<String, LowRankAdapter> attach(CausalLm model, LoraSpec spec, Map<String, Tensor> tensors, String source) {
        Map<String, LowRankAdapter> adapters = new LinkedHashMap<>();
        Map<String, Projection> targets = targeted(model, spec);
        for (var entry : targets.entrySet()) {
            Tensor a = tensors.get(peftName(entry.getKey(), 'A'));
            Tensor b = tensors.get(peftName(entry.getKey(), 'B'));
            if (a == null || b == null) {
                throw new BadInputException(source + ": no LoRA tensors for " + entry.getKey() + " (expected "
                        + peftName(entry.getKey(), 'A') + ")");
            }
            LowRankAdapter adapter = new LowRankAdapter(a, b, spec.scale(), spec.dropout());
            entry.getValue().attach(adapter);
            adapters.put(entry.getKey(), adapter);
        }
        for (String name : tensors.keySet()) {
            String module = name.startsWith(PREFIX) ? name.substring(PREFIX.length()).replaceFirst("\\.lora_[AB]\\.weight$", "") : name;
            if (!targets.containsKey(module)) {
                throw new BadInputException(source + ": tensor '" + name + "' is not a LoRA weight of a targeted module of this model");
            }
        }
        return adapters;
    }

    /** The projections {@code spec} targets, by module name; fails when there is none. */
    public static Map<String, Projection> targeted(CausalLm model, LoraSpec spec) {
        Map<String, Projection> targets = new LinkedHashMap<>();
        model.projections().forEach((name, projection) -> {
            if (spec.targets(name)) {
                targets.put(name, projection);
            }
        });
        if (targets.isEmpty()) {
            throw new BadInputException("LoRA target modules " + spec.targetModules() + " match no layer of the model; its layers are named like "
                    + model.projections().keySet().stream().limit(7).toList());
        }
        return targets;
    }

    /** Writes adapter_config.json and adapter_model.safetensors ({@code tensors} by PEFT name) into {@code dir}. */
    public static void save(Map<String, Tensor> tensors, LoraSpec spec, String baseModel, Path dir) {
        Safetensors.write(tensors, dir.resolve(WEIGHTS_FILE));
        spec.write(dir, baseModel);
    }

    /** The adapter tensors of {@code dir}, converted to {@code like}'s dtype and device. */
    public static Map<String, Tensor> read(Path dir, CausalLm like) {
        return Safetensors.read(dir.resolve(WEIGHTS_FILE), t -> t.to(like.device(), like.precision().scalarType()).contiguous());
    }

    /**
     * The model with every attached adapter folded into its weight, W + scale * B A (computed in fp32), as PEFT's
     * merge_and_unload does: the result has no adapters and the same outputs.
     */
    public static CausalLm merge(CausalLm model) {
        Map<String, Tensor> weights = new LinkedHashMap<>(model.weights());
        model.projections().forEach((name, projection) -> {
            LowRankAdapter adapter = projection.adapter();
            if (adapter != null) {
                weights.put(name + ".weight", merged(projection.weight(), adapter.a(), adapter.b(), adapter.scale()));
            }
        });
        return model.withWeights(weights);
    }

    /**
     * {@code base} with the adapter {@code tensors} (by PEFT name) folded into its weights, leaving {@code base}
     * and whatever is attached to it untouched: how a model trained with LoRA is written as a whole.
     */
    public static CausalLm merge(CausalLm base, LoraSpec spec, Map<String, Tensor> tensors) {
        Map<String, Tensor> weights = new LinkedHashMap<>(base.weights());
        targeted(base, spec).forEach((name, projection) -> weights.put(name + ".weight", merged(projection.weight(),
                tensors.get(peftName(name, 'A')), tensors.get(peftName(name, 'B')), spec.scale())));
        return base.withWeights(weights);
    }

    private static Tensor merged(Tensor w, Tensor a, Tensor b, double scale) {
        Tensor delta = b.to(ScalarType.Float).matmul(a.to(ScalarType.Float)).mul(new Scalar(scale));
        return Tensors.keep(w.to(ScalarType.Float).add(delta).to(w.scalar_type()).detach());
    }
}
