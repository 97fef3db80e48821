package org.instruct4j.model.tensor;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Copies between Java arrays and libtorch tensors, and picks the device. */
public final class Tensors {
    private Tensors() {}

    /**
     * Keeps a native object alive beyond the PointerScope it may have been created in (constants, weights,
     * caches); without this, closing an enclosing scope would free it while it is still in use.
     */
    public static <P extends Pointer> P keep(P pointer) {
        pointer.retainReference();
        return pointer;
    }

    /**
     * The device models load onto: the one a command's --device chose ({@link Devices#use}), else CUDA when a GPU build
     * of libtorch is on the class path and a GPU is present, else the CPU.
     */
    public static Device defaultDevice() {
        return Devices.current();
    }

    /** A long tensor of the given shape holding {@code values} (row-major), on {@code device}. */
    public static Tensor longs(long[] values, Device device, long... shape) {
        LongPointer data = new LongPointer(values);
        Tensor cpu = torch.from_blob(data, shape, new TensorOptions(ScalarType.Long)).clone();
        data.close();
        return device.is_cpu() ? cpu : cpu.to(device, ScalarType.Long);
    }

    /** A float32 CPU tensor of the given shape holding {@code values} (row-major). */
    public static Tensor floats(float[] values, long... shape) {
        FloatPointer data = new FloatPointer(values);
        Tensor tensor = torch.from_blob(data, shape, new TensorOptions(ScalarType.Float)).clone();
        data.close();
        return tensor;
    }

    /** A boolean tensor of the given shape, on {@code device}. */
    public static Tensor bools(boolean[] values, Device device, long... shape) {
        long[] asLongs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            asLongs[i] = values[i] ? 1 : 0;
        }
        return longs(asLongs, device, shape).to(ScalarType.Bool);
    }

    /** All elements as float32, row-major, whatever the tensor's dtype and device. */
    public static float[] toFloats(Tensor tensor) {
        Tensor cpu = tensor.to(new Device("cpu"), ScalarType.Float).contiguous();
        float[] out = new float[Math.toIntExact(cpu.numel())];
        cpu.data_ptr_float().get(out);
        return out;
    }

    /** The tensor's shape as a Java array. */
    public static long[] shape(Tensor tensor) {
        long[] shape = new long[(int) tensor.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.size(i);
        }
        return shape;
    }
}
