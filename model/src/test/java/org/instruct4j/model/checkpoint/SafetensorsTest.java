package org.instruct4j.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    private static final UnaryOperator<Tensor> AS_STORED = UnaryOperator.identity();

    @TempDir
    Path dir;

    @Test
    void readsAHandWrittenBf16FileByTheSpecification() throws Exception {
        // bf16 is the upper half of the float32 bit pattern: 1.0 = 0x3F80, -2.5 = 0xC020, 0.15625 = 0x3E20
        String header = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + json.length + 6).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json).putShort((short) 0x3F80).putShort((short) 0xC020).putShort((short) 0x3E20);
        Path path = dir.resolve("hand.safetensors");
        Files.write(path, file.array());

        Tensor w = Safetensors.read(path, AS_STORED).get("w");

        assertThat(w.scalar_type().intern()).isEqualTo(ScalarType.BFloat16);
        assertThat(Tensors.toFloats(w)).containsExactly(1.0f, -2.5f, 0.15625f);
    }

    @Test
    void writesAndReadsBackEveryFloatDtypeExactly() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        float[] values = {0.5f, -1.25f, 3f, 1e-3f, 7f, -0.75f};
        tensors.put("a.f32", Tensors.floats(values, 2, 3));
        tensors.put("b.bf16", Tensors.floats(values, 3, 2).to(ScalarType.BFloat16));
        tensors.put("c.f16", Tensors.floats(values, 6).to(ScalarType.Half));
        Path file = dir.resolve("model.safetensors");

        Safetensors.write(tensors, file);
        Map<String, Tensor> read = Safetensors.read(file, AS_STORED);

        assertThat(read.keySet()).containsExactlyInAnyOrder("a.f32", "b.bf16", "c.f16");
        for (String name : tensors.keySet()) {
            assertThat(read.get(name).scalar_type().intern()).isEqualTo(tensors.get(name).scalar_type().intern());
            assertThat(Tensors.shape(read.get(name))).containsExactly(Tensors.shape(tensors.get(name)));
            assertThat(Tensors.toFloats(read.get(name))).containsExactly(Tensors.toFloats(tensors.get(name)));
        }
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).as("data starts 8-byte aligned").isZero();
    }

    @Test
    void shardsWithAnIndexAndReadsTheShardsBack() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            tensors.put("layer." + i, Tensors.floats(new float[] {i, i + 0.5f, -i, 2 * i}, 4));
        }

        Safetensors.writeDirectory(tensors, dir, 40);

        assertThat(dir.resolve(Safetensors.SINGLE_FILE)).doesNotExist();
        assertThat(Files.readString(dir.resolve(Safetensors.INDEX_FILE))).contains("model-00001-of-00003.safetensors",
                "model-00003-of-00003.safetensors", "\"total_size\" : 80");
        Map<String, Tensor> read = Safetensors.readDirectory(dir, AS_STORED);
        assertThat(read).hasSize(5);
        assertThat(Tensors.toFloats(read.get("layer.3"))).containsExactly(3f, 3.5f, -3f, 6f);
    }

    @Test
    void rejectsBadFilesNamingTheFileAndTensor() throws Exception {
        Path notSafetensors = dir.resolve("junk.safetensors");
        Files.writeString(notSafetensors, "hello world, this is not a checkpoint");
        assertThatThrownBy(() -> Safetensors.read(notSafetensors, AS_STORED))
                .hasMessageContaining("junk.safetensors").hasMessageContaining("header length");

        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}";
        ByteBuffer file = ByteBuffer.allocate(8 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        Path wrongSize = dir.resolve("wrong.safetensors");
        Files.write(wrongSize, file.array());
        assertThatThrownBy(() -> Safetensors.read(wrongSize, AS_STORED))
                .hasMessageContaining("wrong.safetensors").hasMessageContaining("'w'").hasMessageContaining("need 16");
    }
}
