package org.instruct4j.model.checkpoint;

/**
 * How a checkpoint orders the rows of q_proj and k_proj within each head, which decides the dimensions rotary
 * embeddings pair. Hugging Face's Llama pairs dimension i with i + headDim/2 ({@link #HALVES}); Meta's original
 * checkpoints, llama2.c and GGUF's llama architecture pair 2i with 2i + 1 ({@link #INTERLEAVED}), their rows being a
 * permutation of Hugging Face's (transformers' convert_llama_weights_to_hf.py permutes them one way, llama.cpp's
 * convert_hf_to_gguf.py the other).
 */
public enum RopeLayout {
    HALVES,
    INTERLEAVED
}
