package org.instruct4j.train.optim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.ArchiveWriter;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's AdamW (decoupled weight decay, fp32 state) over a fixed list of parameters, with the learning
 * rate set before every step, global-norm gradient clipping, and its state saved and restored through
 * libtorch's own archive format, so a resumed run continues with the exact moments and step counts.
 */
public final class AdamW {
    /** A bound no fp32 gradient norm reaches: clip_grad_norm_ then only measures (scaling by exactly 1). */
    private static final double NO_CLIPPING = 1e30;
    private final org.bytedeco.pytorch.AdamW optimizer;
    private final TensorVector parameters;

    /** {@code parameters} in a fixed order (the order their state is saved in). */
    public AdamW(Collection<Tensor> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        this.parameters = new TensorVector(parameters.toArray(Tensor[]::new));
        AdamWOptions options = new AdamWOptions(0.0);
        // The binding exposes the std::tuple<double, double> betas in reverse: index 0 is beta2.
        options.betas().put(0, beta2).put(1, beta1);
        options.eps().put(epsilon);
        options.weight_decay().put(weightDecay);
        this.optimizer = new org.bytedeco.pytorch.AdamW(this.parameters, options);
    }

    /**
     * Clips the gradients to {@code maxNorm} (0 = no clipping), then updates every parameter with
     * {@code learningRate}. Returns the gradient norm before clipping.
     */
    public double step(double learningRate, double maxNorm) {
        double norm = torch.clip_grad_norm_(parameters, maxNorm > 0 ? maxNorm : NO_CLIPPING);
        optimizer.param_groups().get(0).options().set_lr(learningRate);
        optimizer.step();
        return norm;
    }

    /** Drops the gradients: the next backward pass writes fresh ones rather than adding to zeroed ones. */
    public void dropGradients() {
        optimizer.zero_grad(true);
    }

    /**
     * Writes the state to {@code file} through Java's file API. libtorch's own file writer aborts the whole process
     * when a write fails (its destructor throws on a full disk), so a failure here is an ordinary IOException.
     */
    public void save(Path file) {
        OutputArchive archive = new OutputArchive();
        optimizer.save(archive);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); ChannelWriter writer = new ChannelWriter(channel)) {
            archive.save_to(writer);
            writer.throwFailure();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            archive.close();
        }
    }

    public void load(Path file) {
        InputArchive archive = new InputArchive();
        archive.load_from(file.toString());
        optimizer.load(archive);
    }

    /**
     * Hands libtorch's bytes to a channel. A failed write is remembered and every later call reports success, so that
     * libtorch finishes normally (it would abort on a short write); {@link #throwFailure} reports it afterwards.
     */
    private static final class ChannelWriter extends ArchiveWriter {
        private static final long WINDOW = 1L << 30;
        private final FileChannel channel;
        private IOException failure;

        ChannelWriter(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long call(Pointer data, long size) {
            if (failure == null) {
                try {
                    BytePointer bytes = new BytePointer(data).capacity(size);
                    for (long done = 0; done < size; done += WINDOW) {
                        ByteBuffer chunk = bytes.position(done).limit(Math.min(size, done + WINDOW)).asByteBuffer();
                        while (chunk.hasRemaining()) {
                            channel.write(chunk);
                        }
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
            return size;
        }

        void throwFailure() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
