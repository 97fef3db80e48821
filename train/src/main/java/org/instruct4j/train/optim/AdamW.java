package org.instruct4j.train.optim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.ArchiveWriter;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.ListType;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.model.tensor.Tensors;

/**
 * AdamW (decoupled weight decay, fp32 state) over a fixed list of parameters, with the learning rate set before every
 * step and global-norm gradient clipping. The update is libtorch's fused kernel ({@code aten::_fused_adamw_}, what
 * {@code torch.optim.AdamW(fused=True)} runs): one pass over each parameter, its gradient and its two moments, where
 * the C++ {@code torch::optim::AdamW} makes about ten (measured: 16.7 against 9.3 ms a step for 10.5M parameters, 157
 * against 56 ms for 110M; BENCHMARKS.md, train). The JavaCPP binding has no function for it, so it is called through
 * libtorch's dispatcher. The state is saved in the archive layout of {@code torch::optim::AdamW} (the state of each
 * parameter under a key, the keys in parameter order under {@code param_groups}), so checkpoints written before, by
 * that optimizer, resume with their exact moments and step counts.
 */
public final class AdamW {
    /** A bound no fp32 gradient norm reaches: clip_grad_norm_ then only measures (scaling by exactly 1). */
    private static final double NO_CLIPPING = 1e30;
    private static final OperatorHandle FUSED = Dispatcher.singleton().findSchemaOrThrow("aten::_fused_adamw_", "");
    private static final IValue NONE = new IValue();

    private final List<Tensor> parameters;
    private final TensorVector clipped;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    /** Per parameter, null until its first update. */
    private final State[] states;

    /** One parameter's moments, and its updates so far as a 0-dim tensor of its dtype (the kernel's bias correction). */
    private record State(Tensor expAvg, Tensor expAvgSq, Tensor steps) {
        /** Zero moments and no updates for {@code p}, or what a saved file held; kept beyond any PointerScope. */
        static State of(Tensor p, Tensor expAvg, Tensor expAvgSq, long steps) {
            return new State(Tensors.keep(expAvg.to(p.device(), p.scalar_type())),
                    Tensors.keep(expAvgSq.to(p.device(), p.scalar_type())),
                    Tensors.keep(p.new_zeros(new long[0]).add_(new Scalar((double) steps))));
        }
    }

    /** {@code parameters} in a fixed order (the order their state is saved in). */
    public AdamW(Collection<Tensor> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        this.parameters = List.copyOf(parameters);
        this.clipped = new TensorVector(parameters.toArray(Tensor[]::new));
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.states = new State[this.parameters.size()];
    }

    /**
     * Clips the gradients to {@code maxNorm} (0 = no clipping), then updates every parameter that has a gradient with
     * {@code learningRate}. Returns the gradient norm before clipping.
     */
    public double step(double learningRate, double maxNorm) {
        double norm = torch.clip_grad_norm_(clipped, maxNorm > 0 ? maxNorm : NO_CLIPPING);
        List<Tensor> params = new ArrayList<>(), grads = new ArrayList<>(), avgs = new ArrayList<>();
        List<Tensor> avgSqs = new ArrayList<>(), counts = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i), grad = p.grad();
            if (!grad.defined()) {
                continue;
            }
            if (states[i] == null) {
                states[i] = State.of(p, torch.zeros_like(p), torch.zeros_like(p), 0);
            }
            State state = states[i];
            state.steps().add_(new Scalar(1.0));
            params.add(p);
            grads.add(grad);
            avgs.add(state.expAvg());
            avgSqs.add(state.expAvgSq());
            counts.add(state.steps());
        }
        if (!params.isEmpty()) {
            try (NoGradGuard noGrad = new NoGradGuard()) {
                FUSED.callBoxed(new IValueVector(list(params), list(grads), list(avgs), list(avgSqs), list(List.of()),
                        list(counts), new IValue(learningRate), new IValue(beta1), new IValue(beta2),
                        new IValue(weightDecay), new IValue(epsilon), new IValue(false), new IValue(false), NONE, NONE));
            }
        }
        return norm;
    }

    /** A {@code Tensor[]} argument of a boxed call: a list whose element type is Tensor. */
    private static IValue list(List<Tensor> tensors) {
        GenericList list = new GenericList(ListType.ofTensors().getElementType());
        for (Tensor tensor : tensors) {
            list.push_back(new IValue(tensor));
        }
        return new IValue(list);
    }

    /** Drops the gradients: the next backward pass writes fresh ones rather than adding to zeroed ones. */
    public void dropGradients() {
        for (Tensor p : parameters) {
            p.mutable_grad().reset();
        }
    }

    /**
     * Writes the state to {@code file} through Java's file API. libtorch's own file writer aborts the whole process
     * when a write fails (its destructor throws on a full disk), so a failure here is an ordinary IOException.
     */
    public void save(Path file) {
        OutputArchive archive = new OutputArchive();
        try {
            archive.write("pytorch_version", new IValue("1.5.0"));
            OutputArchive state = new OutputArchive(archive.compilation_unit());
            OutputArchive group = new OutputArchive(archive.compilation_unit());
            group.write("params/size", torch.tensor((long) parameters.size()));
            for (int i = 0; i < parameters.size(); i++) {
                String key = Integer.toString(i);
                group.write("params/" + i, new IValue(key));
                if (states[i] != null) {
                    OutputArchive one = new OutputArchive(archive.compilation_unit());
                    one.write("step", new IValue(Math.round(states[i].steps().item_double())));
                    one.write("exp_avg", states[i].expAvg());
                    one.write("exp_avg_sq", states[i].expAvgSq());
                    state.write(key, one);
                }
            }
            OutputArchive groups = new OutputArchive(archive.compilation_unit());
            groups.write("param_groups/size", torch.tensor(1L));
            groups.write("param_groups/0", group);
            archive.write("state", state);
            archive.write("param_groups", groups);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); ChannelWriter writer = new ChannelWriter(channel)) {
                archive.save_to(writer);
                writer.throwFailure();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            archive.close();
        }
    }

    /**
     * Reads the state {@link #save} wrote, or {@code torch::optim::AdamW} did (the parameter keys of its first group,
     * in order, name each parameter's state). A file for other parameters is an error naming it.
     */
    public void load(Path file) {
        InputArchive archive = new InputArchive();
        archive.load_from(file.toString());
        InputArchive groups = new InputArchive(), group = new InputArchive(), state = new InputArchive();
        archive.read("param_groups", groups);
        groups.read("param_groups/0", group);
        archive.read("state", state);
        long count = readTensor(group, "params/size").item_long();
        if (count != parameters.size()) {
            throw new IllegalStateException(file + " holds AdamW state for " + count + " parameters, and this run trains "
                    + parameters.size() + ": it belongs to another model or adapter");
        }
        for (int i = 0; i < parameters.size(); i++) {
            IValue key = new IValue();
            group.read("params/" + i, key);
            InputArchive one = new InputArchive();
            if (!state.try_read(key.toStringRef().getString(), one)) {
                states[i] = null; // saved before this parameter's first update
                continue;
            }
            IValue step = new IValue();
            one.read("step", step);
            Tensor avg = readTensor(one, "exp_avg"), avgSq = readTensor(one, "exp_avg_sq");
            Tensor p = parameters.get(i);
            long[] shape = Tensors.shape(p);
            if (!Arrays.equals(Tensors.shape(avg), shape) || !Arrays.equals(Tensors.shape(avgSq), shape)) {
                throw new IllegalStateException(file + ": the AdamW state of parameter " + i + " has another shape than the"
                        + " parameter: it belongs to another model or adapter");
            }
            states[i] = State.of(p, avg, avgSq, step.toInt());
        }
    }

    private static Tensor readTensor(InputArchive archive, String key) {
        Tensor tensor = new Tensor();
        archive.read(key, tensor);
        return tensor;
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
