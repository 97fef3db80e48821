package org.instruct4j.train.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --concurrent-micro-batches (by default one per core on a CPU) computes a step's micro-batches at once on threads of their own and learns what the run
 * computing them one after another learns: the same loss, gradient norm and held-out loss step after step (to
 * floating-point noise: one libtorch thread adds up a product in another order than two), and it resumes.
 */
class ConcurrentMicroBatchesRunTest {
    private static final String[] RUN = {"--batch-size=4", "--micro-batch-size=1", "--epochs=1", "--lr=1e-3", "--save-steps=3",
        "--save-total-limit=5", "--eval-fraction=0.125", "--eval-steps=4", "--max-length=256", "--packing"};

    @TempDir
    Path dir;

    @Test
    void threeAtATimeLearnWhatOneAfterAnotherLearnsAndAResumedRunContinuesIt() throws Exception {
        Path data = TinyRuns.alpacaSubset(dir, 32, 150);
        Path plain = dir.resolve("plain");
        SftRecipe.run(TinyRuns.stories(data, plain, RUN).with("--concurrent-micro-batches=1"));
        // four micro-batches a step: a round of three, then one
        Path concurrent = dir.resolve("concurrent");
        SftRecipe.run(TinyRuns.stories(data, concurrent, RUN).with("--concurrent-micro-batches=3"));

        List<JsonNode> expected = TinyRuns.metrics(plain);
        assertThat(expected).hasSize(8);
        int[] threadsAfter = new int[1];
        Thread later = new Thread(() -> threadsAfter[0] = torch.get_num_threads());
        later.start();
        later.join();
        assertThat(threadsAfter[0]).as("libtorch threads of a thread started after the run").isEqualTo(torch.get_num_threads())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(expected.get(1).path("loss").asDouble()).as("the model learns").isNotCloseTo(
                expected.get(7).path("loss").asDouble(), within(1e-3));
        TinyRuns.assertSameCurve(TinyRuns.metrics(concurrent), expected);

        // a run killed after step 5 (checkpoint at step 3) resumes to the same curve
        Path killed = dir.resolve("killed");
        TinyRuns.killedAfter(concurrent, 3, 6, killed);
        SftResult resumed = SftRecipe.run(TinyRuns.stories(data, killed, RUN).with("--concurrent-micro-batches=2", "--resume"));

        assertThat(resumed.finished()).isTrue();
        TinyRuns.assertSameCurve(TinyRuns.metrics(killed), expected);
    }

    @Test
    void whatItCannotBeCombinedWithIsRefusedBeforeAnythingIsLoaded() throws Exception {
        Path data = TinyRuns.alpacaSubset(dir, 16, 150);
        Path output = dir.resolve("refused");
        for (String[] combination : List.of(new String[] {"--gradient-checkpointing"}, new String[] {"--nproc=2"})) {
            assertThatThrownBy(() -> SftRecipe.run(TinyRuns.stories(data, output, "--batch-size=4")
                    .with("--concurrent-micro-batches=2").with(combination)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("concurrent-micro-batches 2");
        }
        assertThat(output).doesNotExist();
    }
}
