package org.instruct4j.model.checkpoint;

/**
 * How a checkpoint stores a tensor's elements: the safetensors dtypes, and GGUF's block-quantized Q8_0 and Q4_0
 * (blocks of 32 elements along the last dimension).
 */
public enum TensorFormat {
    F64("F64", 8, 1), F32("F32", 4, 1), F16("F16", 2, 1), BF16("BF16", 2, 1),
    I64("I64", 8, 1), I32("I32", 4, 1), I16("I16", 2, 1), I8("I8", 1, 1), U8("U8", 1, 1), BOOL("BOOL", 1, 1),
    Q8_0("Q8_0", 34, 32), Q4_0("Q4_0", 18, 32);

    private final String safetensorsName;
    private final int blockBytes;
    private final int blockElements;

    TensorFormat(String safetensorsName, int blockBytes, int blockElements) {
        this.safetensorsName = safetensorsName;
        this.blockBytes = blockBytes;
        this.blockElements = blockElements;
    }

    /** The format safetensors calls {@code name}, or null. */
    public static TensorFormat ofSafetensors(String name) {
        for (TensorFormat format : values()) {
            if (format.blockElements == 1 && format.safetensorsName.equals(name)) {
                return format;
            }
        }
        return null;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    public boolean quantized() {
        return blockElements > 1;
    }

    /** Bytes of {@code elements} elements (a whole number of blocks for quantized formats). */
    public long bytes(long elements) {
        if (elements % blockElements != 0) {
            throw new IllegalArgumentException(this + " stores blocks of " + blockElements + " elements; " + elements
                    + " is not a multiple");
        }
        return elements / blockElements * blockBytes;
    }
}
