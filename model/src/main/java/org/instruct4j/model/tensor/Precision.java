package org.instruct4j.model.tensor;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The dtype a model computes in. Half (fp16) is deliberately absent: on CPU libtorch runs it through a
 * ~2 GFLOP/s fallback, so an fp16 checkpoint is converted to one of these when it loads.
 */
public enum Precision {
    FP32(ScalarType.Float),
    BF16(ScalarType.BFloat16);

    private final ScalarType scalarType;

    Precision(ScalarType scalarType) {
        this.scalarType = scalarType;
    }

    public ScalarType scalarType() {
        return scalarType;
    }

    /** Parses "fp32"/"float32" or "bf16"/"bfloat16" (as in config.json's torch_dtype). */
    public static Precision parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "fp32", "float32", "float" -> FP32;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new IllegalArgumentException("unknown precision '" + name + "': use fp32 or bf16");
        };
    }

    /** The name config.json uses for this dtype. */
    public String torchDtype() {
        return this == FP32 ? "float32" : "bfloat16";
    }
}
