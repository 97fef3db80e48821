package org.instruct4j.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.pytorch.Device;
import org.instruct4j.model.checkpoint.Llama2cCheckpoint;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.TorchEngine;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tokenizer.Llama2cTokenizerFile;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;

/** A row tells the caller which token it sampled, and a caller's own stop condition can end it. */
class GenerationRowTest {
    @Test
    void theCallerSeesEachSampledTokenAndCanStopTheRow() {
        InferenceEngine engine = new TorchEngine(Llama2cCheckpoint.load(SharedData.path("models/stories260K/stories260K.bin"),
                Precision.FP32, new Device("cpu")));
        Tokenizer tokenizer = Llama2cTokenizerFile.read(SharedData.path("models/stories260K/tok512.bin"));
        int[] prompt = tokenizer.encode("Once upon a time", true);
        Generation alone = new Generator(engine, tokenizer).generateFromIds(new int[][] {prompt}, GenerationConfig.greedy(8)).get(0);

        try (GenerationRow row = new GenerationRow(engine, tokenizer, prompt, GenerationConfig.greedy(8))) {
            Batch batch = new Batch();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                row.addTo(batch.clear(), 512);
                engine.forward(batch);
                text.append(row.next());
                assertThat(row.lastToken()).isEqualTo(alone.tokenIds()[i]);
            }
            text.append(row.stop());

            assertThat(row.finished()).isTrue();
            assertThat(row.result().finishReason()).isEqualTo(Generation.FinishReason.EOS);
            assertThat(row.result().tokenIds()).containsExactly(alone.tokenIds()[0], alone.tokenIds()[1], alone.tokenIds()[2]);
            assertThat(text.toString()).isEqualTo(row.result().text());
            assertThatThrownBy(row::stop).isInstanceOf(IllegalStateException.class);
        }
    }
}
