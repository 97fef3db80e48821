package org.instruct4j.model.arch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRef;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.BlasThreads;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;

/**
 * Llama 1/2/3 (and the Mistral and Qwen2 variants of the same layout): RMSNorm, rotary position embeddings
 * (Hugging Face "rotate half" layout, configurable theta and Llama-3 scaling), grouped-query attention,
 * SwiGLU feed-forward, tied or separate output head. Weights carry their Hugging Face names.
 *
 * <pre>
 * x = embed_tokens[ids]
 * for each layer:  x += o_proj(attention(rope(q_proj(rms(x))), rope(k_proj(rms(x))), v_proj(rms(x))))
 *                  x += down_proj(silu(gate_proj(rms(x))) * up_proj(rms(x)))
 * logits = lm_head(rms(x))
 * </pre>
 */
public final class Llama implements CausalLm {
    private final LlamaConfig config;
    private final Precision precision;
    private final Device device;
    private final Map<String, Tensor> weights;
    private final Tensor embedTokens;
    private final Tensor norm;
    /** Null for a backbone without its language-model head (LlamaForSequenceClassification's layout). */
    private final Tensor lmHead;
    private final Layer[] layers;
    private final Map<String, Projection> projections = new LinkedHashMap<>();
    /** RoPE inverse frequencies [headDim / 2], float32. */
    private final Tensor inverseFrequencies;

    /** Biases are only present where the checkpoint has them (Qwen2 has q/k/v biases). */
    private record Layer(Tensor inputNorm, Projection q, Projection k, Projection v, Projection o, Tensor postNorm,
                         Projection gate, Projection up, Projection down) {}

    /** {@code weights}: Hugging Face names, already in the dtype and on the device the model should run on. */
    public Llama(LlamaConfig config, Map<String, Tensor> weights, String source) {
        BlasThreads.configure();
        this.config = config;
        Weights w = new Weights(weights, source);
        this.embedTokens = w.require("model.embed_tokens.weight");
        this.norm = w.require("model.norm.weight");
        this.lmHead = config.tieWordEmbeddings() ? embedTokens : w.optional("lm_head.weight");
        this.layers = new Layer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            layers[i] = new Layer(
                    w.require(p + "input_layernorm.weight"),
                    projection(w, p + "self_attn.q_proj"),
                    projection(w, p + "self_attn.k_proj"),
                    projection(w, p + "self_attn.v_proj"),
                    projection(w, p + "self_attn.o_proj"),
                    w.require(p + "post_attention_layernorm.weight"),
                    projection(w, p + "mlp.gate_proj"),
                    projection(w, p + "mlp.up_proj"),
                    projection(w, p + "mlp.down_proj"));
        }
        this.weights = new LinkedHashMap<>(weights);
        if (config.tieWordEmbeddings()) {
            this.weights.remove("lm_head.weight");
        }
        this.precision = embedTokens.scalar_type().intern() == ScalarType.BFloat16 ? Precision.BF16 : Precision.FP32;
        this.device = embedTokens.device();
        this.inverseFrequencies = Tensors.keep(Tensors.floats(config.ropeInverseFrequencies(), config.headDim() / 2)
                .to(device, ScalarType.Float));
    }

    private Projection projection(Weights w, String module) {
        Projection projection = new Projection(w.require(module + ".weight"), w.optional(module + ".bias"));
        projections.put(module, projection);
        return projection;
    }

    @Override
    public Tensor forward(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly) {
        return logits(hiddenStates(inputIds, positions, keyMask, cache, lastStepOnly));
    }

    @Override
    public Tensor logits(Tensor hiddenStates) {
        if (lmHead == null) {
            throw new IllegalStateException("this Llama has no lm_head.weight (a sequence-classification backbone): it "
                    + "gives hidden states for a head of its own, not next-token logits");
        }
        return Linear.apply(hiddenStates, lmHead);
    }

    @Override
    public Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly) {
        long start = cache == null ? 0 : cache.length();
        Tensor blocked = Attention.blockedKeys(keyMask, start, inputIds.size(1), config.slidingWindow(), device);
        return decode(inputIds, positions, blocked, cache, lastStepOnly);
    }

    @Override
    public Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor segments) {
        Tensor blocked = Attention.blockedAcrossSegments(segments, inputIds.size(1), config.slidingWindow(), device);
        return decode(inputIds, positions, blocked, null, false);
    }

    private Tensor decode(Tensor inputIds, Tensor positions, Tensor blocked, KvCache cache, boolean lastStepOnly) {
        long batch = inputIds.size(0), steps = inputIds.size(1);
        Tensor[] cosSin = rotaryTables(positions, batch, steps);
        Tensor x = torch.embedding(embedTokens, inputIds);
        for (int i = 0; i < layers.length; i++) {
            x = layer(i, x, cosSin, blocked, cache);
        }
        if (cache != null) {
            cache.advance(steps);
        }
        if (lastStepOnly) {
            x = x.narrow(1, steps - 1, 1);
        }
        return rmsNorm(x, norm);
    }

    private Tensor layer(int index, Tensor x, Tensor[] cosSin, Tensor blocked, KvCache cache) {
        Layer layer = layers[index];
        x = x.add(attention(index, layer, rmsNorm(x, layer.inputNorm()), cosSin, blocked, cache));
        Tensor h = rmsNorm(x, layer.postNorm());
        Tensor gated = torch.silu(layer.gate().apply(h)).mul(layer.up().apply(h));
        return x.add(layer.down().apply(gated));
    }

    @Override
    public LayeredPass layeredPass(Tensor inputIds, Tensor positions, Tensor segments) {
        Tensor blocked = Attention.blockedAcrossSegments(segments, inputIds.size(1), config.slidingWindow(), device);
        Tensor[] cosSin = rotaryTables(positions, inputIds.size(0), inputIds.size(1));
        return new LayeredPass(() -> torch.embedding(embedTokens, inputIds), layers.length,
                (index, x) -> layer(index, x, cosSin, blocked, null), x -> rmsNorm(x, norm));
    }

    private Tensor attention(int index, Layer layer, Tensor h, Tensor[] cosSin, Tensor blocked, KvCache cache) {
        long batch = h.size(0), steps = h.size(1);
        int headDim = config.headDim();
        Tensor q = layer.q().apply(h).view(batch, steps, config.numAttentionHeads(), headDim);
        Tensor k = layer.k().apply(h).view(batch, steps, config.numKeyValueHeads(), headDim);
        Tensor v = layer.v().apply(h).view(batch, steps, config.numKeyValueHeads(), headDim);
        q = rotate(q, cosSin);
        k = rotate(k, cosSin).transpose(1, 2);
        v = v.transpose(1, 2);
        if (cache != null) {
            Tensor[] all = cache.append(index, k, v);
            k = all[0];
            v = all[1];
        }
        return layer.o().apply(Attention.attend(q, k, v, blocked, config.slidingWindow()));
    }

    private Tensor rmsNorm(Tensor x, Tensor weight) {
        return torch.rms_norm(x, new long[] {config.hiddenSize()}, new TensorOptional(weight),
                new DoubleOptional(config.rmsNormEps()));
    }

    /**
     * cos and sin of position * frequency, [batch, steps, 1, headDim], each frequency used twice; the sin table's first
     * half negated, so that rotate_half's minus sign costs no pass of its own.
     */
    private Tensor[] rotaryTables(Tensor positions, long batch, long steps) {
        Tensor angles = positions.to(ScalarType.Float).unsqueeze(2).mul(inverseFrequencies);
        Tensor both = torch.cat(new TensorArrayRef(new TensorVector(angles, angles)), 2).unsqueeze(2);
        Tensor sin = angles.sin();
        Tensor signedSin = torch.cat(new TensorArrayRef(new TensorVector(sin.neg(), sin)), 2).unsqueeze(2);
        ScalarType dtype = precision.scalarType();
        return new Tensor[] {both.cos().to(dtype), signedSin.to(dtype)};
    }

    /**
     * x * cos + rotate_half(x) * sin, with rotate_half(x) = [-x2, x1] over the two halves of each head: written as
     * x * cos + [x2, x1] * [-sin, sin], three passes (multiply, swap the halves, multiply-add in place) where the
     * written-out form takes five.
     */
    private static Tensor rotate(Tensor x, Tensor[] cosSin) {
        long half = x.size(3) / 2;
        Tensor swapped = torch.cat(new TensorArrayRef(new TensorVector(x.narrow(3, half, half), x.narrow(3, 0, half))), 3);
        return x.mul(cosSin[0]).addcmul_(swapped, cosSin[1]);
    }

    @Override
    public KvCache newCache(long batch, long capacity) {
        return new KvCache(layers.length, batch, config.numKeyValueHeads(), capacity, config.headDim(),
                precision.scalarType(), device);
    }

    @Override
    public Map<String, Tensor> weights() {
        return weights;
    }

    @Override
    public Map<String, Projection> projections() {
        return projections;
    }

    @Override
    public Llama withWeights(Map<String, Tensor> weights) {
        return new Llama(config, weights, "weights replaced");
    }

    @Override
    public ObjectNode configJson() {
        return config.configJson(precision.torchDtype());
    }

    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int hiddenSize() {
        return config.hiddenSize();
    }

    @Override
    public int maxPositions() {
        return config.maxPositionEmbeddings();
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Device device() {
        return device;
    }
}
