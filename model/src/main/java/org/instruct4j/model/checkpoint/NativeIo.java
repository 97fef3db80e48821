package org.instruct4j.model.checkpoint;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Moves tensor bytes between (memory-mapped) files and native tensor memory without passing through the Java heap. */
final class NativeIo {
    private static final long WINDOW = 1L << 30;

    private NativeIo() {}

    /** A CPU tensor holding a copy of {@code stored} (quantized formats widened to float32). */
    static Tensor toTensor(StoredTensor stored) {
        MemorySegment source = stored.format().quantized() ? BlockQuantization.dequantize(stored) : stored.data();
        ScalarType dtype = stored.format().quantized() ? ScalarType.Float : scalarType(stored.format());
        Tensor tensor = torch.empty(stored.shape(), new TensorOptions(dtype), new MemoryFormatOptional());
        long bytes = tensor.nbytes();
        MemorySegment target = MemorySegment.ofAddress(tensor.data_ptr().address()).reinterpret(bytes);
        MemorySegment.copy(source, 0, target, 0, bytes);
        return tensor;
    }

    static ScalarType scalarType(TensorFormat format) {
        return switch (format) {
            case F64 -> ScalarType.Double;
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            case I64 -> ScalarType.Long;
            case I32 -> ScalarType.Int;
            case I16 -> ScalarType.Short;
            case I8 -> ScalarType.Char;
            case U8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
            case Q8_0, Q4_0 -> throw new IllegalArgumentException(format + " has no libtorch dtype");
        };
    }

    /** Appends the bytes of {@code tensor} (converted to a contiguous CPU tensor) at the channel's position. */
    static void write(WritableByteChannel channel, Tensor tensor) throws IOException {
        Tensor cpu = tensor.to(new Device("cpu"), tensor.scalar_type()).contiguous();
        long bytes = cpu.nbytes();
        BytePointer source = new BytePointer(cpu.data_ptr()).capacity(bytes);
        for (long done = 0; done < bytes; done += WINDOW) {
            long length = Math.min(WINDOW, bytes - done);
            ByteBuffer chunk = source.position(done).limit(done + length).asByteBuffer();
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
        }
        source.close();
    }
}
