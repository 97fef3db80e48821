package org.instruct4j.train.run;

import org.bytedeco.pytorch.global.torch;

/**
 * Asks libtorch's CPU allocator to back tensors of 2 MB and more with transparent huge pages (it reads
 * THP_MEM_ALLOC_ENABLE once, at its first allocation, so this must run before any tensor exists). A training step
 * allocates and frees hundreds of MB of activations; in 4 KB pages each step took ~150,000 page faults, a third of
 * a bf16 step's time on a 2-core VM, and huge pages cut the step's CPU time by ~25 % (BENCHMARKS.md, train).
 * An explicit THP_MEM_ALLOC_ENABLE in the environment wins.
 */
public final class HugePages {
    private HugePages() {}

    public static void enable() {
        torch.set_env("THP_MEM_ALLOC_ENABLE", "1", false);
    }
}
