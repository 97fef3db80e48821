package org.instruct4j.model.arch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.BlasThreads;
import org.instruct4j.model.tensor.Precision;

/**
 * OPT (Meta's Open Pre-trained Transformer; the paper's reward-model backbone): learned absolute positions
 * stored with an offset of 2, LayerNorm with bias, biased projections, ReLU feed-forward, output head tied
 * to the token embeddings. Most sizes normalise before each block (do_layer_norm_before); opt-350m
 * normalises after and projects embeddings in and out of a smaller width. Weights carry their Hugging Face
 * names (model.decoder.*).
 *
 * <pre>
 * x = embed_tokens[ids] + embed_positions[positions + 2]
 * for each layer:  x += out_proj(attention(q_proj(ln(x)), k_proj(ln(x)), v_proj(ln(x))))
 *                  x += fc2(relu(fc1(ln(x))))
 * logits = embed_tokens^T ln(x)
 * </pre>
 */
public final class Opt implements CausalLm {
    /** transformers' OPTLearnedPositionalEmbedding reserves the first two rows. */
    private static final int POSITION_OFFSET = 2;
    private static final double LAYER_NORM_EPS = 1e-5;

    private final OptConfig config;
    private final Map<String, Tensor> weights;
    private final Precision precision;
    private final Device device;
    private final Tensor embedTokens, embedPositions, projectIn, projectOut, finalNorm, finalNormBias, lmHead;
    private final Layer[] layers;
    private final Map<String, Projection> projections = new LinkedHashMap<>();

    private record Layer(Projection q, Projection k, Projection v, Projection out, Tensor attnNorm,
                         Tensor attnNormBias, Projection fc1, Projection fc2, Tensor ffnNorm, Tensor ffnNormBias) {}

    /** {@code weights}: Hugging Face names, already in the dtype and on the device the model should run on. */
    public Opt(OptConfig config, Map<String, Tensor> weights, String source) {
        BlasThreads.configure();
        this.config = config;
        Weights w = new Weights(weights, source);
        String d = "model.decoder.";
        this.embedTokens = w.require(d + "embed_tokens.weight");
        this.embedPositions = w.require(d + "embed_positions.weight");
        this.projectIn = w.optional(d + "project_in.weight");
        this.projectOut = w.optional(d + "project_out.weight");
        this.finalNorm = w.optional(d + "final_layer_norm.weight");
        this.finalNormBias = w.optional(d + "final_layer_norm.bias");
        Tensor head = w.optional("lm_head.weight");
        this.lmHead = head == null ? embedTokens : head;
        this.layers = new Layer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = d + "layers." + i + ".";
            layers[i] = new Layer(
                    projection(w, p + "self_attn.q_proj"),
                    projection(w, p + "self_attn.k_proj"),
                    projection(w, p + "self_attn.v_proj"),
                    projection(w, p + "self_attn.out_proj"),
                    w.require(p + "self_attn_layer_norm.weight"), w.require(p + "self_attn_layer_norm.bias"),
                    projection(w, p + "fc1"),
                    projection(w, p + "fc2"),
                    w.require(p + "final_layer_norm.weight"), w.require(p + "final_layer_norm.bias"));
        }
        this.weights = new LinkedHashMap<>(weights);
        this.weights.remove("lm_head.weight"); // tied: transformers recreates it from embed_tokens
        this.precision = embedTokens.scalar_type().intern() == ScalarType.BFloat16 ? Precision.BF16 : Precision.FP32;
        this.device = embedTokens.device();
    }

    private Projection projection(Weights w, String module) {
        Projection projection = new Projection(w.require(module + ".weight"), w.require(module + ".bias"));
        projections.put(module, projection);
        return projection;
    }

    @Override
    public Tensor forward(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly) {
        return logits(hiddenStates(inputIds, positions, keyMask, cache, lastStepOnly));
    }

    @Override
    public Tensor logits(Tensor hiddenStates) {
        return Linear.apply(hiddenStates, lmHead);
    }

    @Override
    public Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor keyMask, KvCache cache, boolean lastStepOnly) {
        long start = cache == null ? 0 : cache.length();
        Tensor blocked = Attention.blockedKeys(keyMask, start, inputIds.size(1), 0, device);
        return decode(inputIds, positions, blocked, cache, lastStepOnly);
    }

    @Override
    public Tensor hiddenStates(Tensor inputIds, Tensor positions, Tensor segments) {
        return decode(inputIds, positions, Attention.blockedAcrossSegments(segments, inputIds.size(1), 0, device), null, false);
    }

    private Tensor decode(Tensor inputIds, Tensor positions, Tensor blocked, KvCache cache, boolean lastStepOnly) {
        long steps = inputIds.size(1);
        Tensor x = embed(inputIds, positions);
        for (int i = 0; i < layers.length; i++) {
            x = layer(i, x, blocked, cache);
        }
        if (cache != null) {
            cache.advance(steps);
        }
        if (lastStepOnly) {
            x = x.narrow(1, steps - 1, 1);
        }
        return finish(x);
    }

    private Tensor embed(Tensor inputIds, Tensor positions) {
        Tensor x = torch.embedding(embedTokens, inputIds);
        if (projectIn != null) {
            x = Linear.apply(x, projectIn);
        }
        return x.add(torch.embedding(embedPositions, positions.add(new Scalar(POSITION_OFFSET))));
    }

    private Tensor layer(int index, Tensor x, Tensor blocked, KvCache cache) {
        Layer layer = layers[index];
        boolean before = config.doLayerNormBefore();
        Tensor h = before ? layerNorm(x, layer.attnNorm(), layer.attnNormBias()) : x;
        x = x.add(attention(index, layer, h, blocked, cache));
        if (!before) {
            x = layerNorm(x, layer.attnNorm(), layer.attnNormBias());
        }
        h = before ? layerNorm(x, layer.ffnNorm(), layer.ffnNormBias()) : x;
        Tensor up = layer.fc1().apply(h);
        up = config.activationFunction().equals("relu") ? up.relu() : torch.gelu(up);
        x = x.add(layer.fc2().apply(up));
        return before ? x : layerNorm(x, layer.ffnNorm(), layer.ffnNormBias());
    }

    private Tensor finish(Tensor x) {
        if (finalNorm != null) {
            x = layerNorm(x, finalNorm, finalNormBias);
        }
        return projectOut == null ? x : Linear.apply(x, projectOut);
    }

    @Override
    public LayeredPass layeredPass(Tensor inputIds, Tensor positions, Tensor segments) {
        Tensor blocked = Attention.blockedAcrossSegments(segments, inputIds.size(1), 0, device);
        return new LayeredPass(() -> embed(inputIds, positions), layers.length, (index, x) -> layer(index, x, blocked, null),
                this::finish);
    }

    private Tensor attention(int index, Layer layer, Tensor h, Tensor blocked, KvCache cache) {
        long batch = h.size(0), steps = h.size(1);
        int heads = config.numAttentionHeads(), headDim = config.hiddenSize() / heads;
        Tensor q = layer.q().apply(h).view(batch, steps, heads, headDim);
        Tensor k = layer.k().apply(h).view(batch, steps, heads, headDim).transpose(1, 2);
        Tensor v = layer.v().apply(h).view(batch, steps, heads, headDim).transpose(1, 2);
        if (cache != null) {
            Tensor[] all = cache.append(index, k, v);
            k = all[0];
            v = all[1];
        }
        return layer.out().apply(Attention.attend(q, k, v, blocked, 0));
    }

    private static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias) {
        return torch.layer_norm(x, new long[] {x.size(-1)}, new TensorOptional(weight), new TensorOptional(bias),
                LAYER_NORM_EPS, false);
    }

    @Override
    public KvCache newCache(long batch, long capacity) {
        int heads = config.numAttentionHeads();
        return new KvCache(layers.length, batch, heads, capacity, config.hiddenSize() / heads, precision.scalarType(), device);
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
    public Opt withWeights(Map<String, Tensor> weights) {
        return new Opt(config, weights, "weights replaced");
    }

    @Override
    public ObjectNode configJson() {
        return config.toJson(precision.torchDtype());
    }

    @Override
    public OptConfig config() {
        return config;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int hiddenSize() {
        return config.wordEmbedProjDim();
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
