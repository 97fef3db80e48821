package org.instruct4j.model.arch;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Where training's dropout masks come from: the random generator of the micro-batch the calling thread computes, which
 * the training step makes from its seed, the step and the micro-batch's place in it (so that micro-batches computed at
 * once, on threads of their own, draw what they would draw one after another), else libtorch's default CPU generator.
 * A mask is drawn as {@code torch.dropout} draws it on the CPU (a Bernoulli(1 - p) tensor shaped as the input, divided
 * by 1 - p), so from the default generator it is the very same.
 */
public final class DropoutMasks implements AutoCloseable {
    private static final ThreadLocal<Generator> CURRENT = new ThreadLocal<>();

    private DropoutMasks() {}

    /** Makes masks on this thread come from a generator seeded with {@code seed} until the returned scope closes. */
    public static DropoutMasks seeded(long seed) {
        CURRENT.set(torch.createCPUGenerator(seed));
        return new DropoutMasks();
    }

    /** The generator masks on this thread come from. */
    public static Generator generator() {
        Generator current = CURRENT.get();
        return current != null ? current : torch.getDefaultCPUGenerator();
    }

    /** {@code x} with each element zeroed with probability {@code p} and the rest scaled by 1 / (1 - p). */
    static Tensor apply(Tensor x, double p) {
        Tensor noise = torch.empty_like(x).bernoulli_(1 - p, new GeneratorOptional(generator()));
        return x.mul(noise.div_(new Scalar(1 - p)));
    }

    @Override
    public void close() {
        CURRENT.remove();
    }
}
