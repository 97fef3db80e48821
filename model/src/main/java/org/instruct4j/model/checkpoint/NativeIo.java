package org.instruct4j.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Moves tensor bytes between files and native tensor memory without passing through the Java heap. Files
 * are memory-mapped a window at a time, because one mapping is limited to 2 GiB.
 */
final class NativeIo {
    private static final long WINDOW = 1L << 30;

    private NativeIo() {}

    /** Reads a little-endian tensor of {@code dtype} and {@code shape} stored at {@code offset}. */
    static Tensor read(FileChannel channel, long offset, ScalarType dtype, long[] shape) throws IOException {
        Tensor tensor = torch.empty(shape, new TensorOptions(dtype), new MemoryFormatOptional());
        long bytes = tensor.nbytes();
        BytePointer target = new BytePointer(tensor.data_ptr()).capacity(bytes);
        for (long done = 0; done < bytes; done += WINDOW) {
            long length = Math.min(WINDOW, bytes - done);
            MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY, offset + done, length);
            BytePointer source = new BytePointer(window);
            Pointer.memcpy(target.position(done), source, length);
            source.close();
        }
        target.close();
        return tensor;
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
