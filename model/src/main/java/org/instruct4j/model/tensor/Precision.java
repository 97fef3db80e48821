package org.instruct4j.model.tensor;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.core.io.BadInputException;

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
            default -> throw new BadInputException("unknown precision '" + name + "': use fp32 or bf16");
        };
    }

    /**
     * The faster precision on {@code device}: bf16 on a GPU or on a CPU with native bf16 instructions (AVX512-BF16,
     * AMX); fp32 elsewhere, because without them libtorch's bf16 matrix products fall back to a kernel about ten
     * times slower than fp32 (measured on an AVX2-only AMD EPYC: 0.3 vs 3.6 GFLOP/s at 512^2 under load).
     */
    public static Precision fastest(org.bytedeco.pytorch.Device device) {
        if (!device.is_cpu()) {
            return BF16;
        }
        try {
            String cpu = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
            return cpu.contains("avx512_bf16") || cpu.contains("amx_bf16") ? BF16 : FP32;
        } catch (java.io.IOException | RuntimeException e) {
            return FP32;
        }
    }

    /** The name config.json uses for this dtype. */
    public String torchDtype() {
        return this == FP32 ? "float32" : "bfloat16";
    }
}
