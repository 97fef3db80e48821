package org.instruct4j.train.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.run.TrainableWeights;
import org.junit.jupiter.api.Test;

/**
 * The bucket plan, and real buckets between two ranks over Gloo on 127.0.0.1 (one thread each): after a step the
 * accumulated gradients of every rank are the sum over the ranks and micro-batches, in fp32 and with bf16 working
 * copies, with a tensor that gets no gradient in the last pass and a rank that has no rows at all.
 */
class GradientBucketsTest {
    @Test
    void bucketsTakeTheTensorsInReverseOrderUpToTheCap() {
        // 10, 20, 5, 30, 1 floats with a cap of 100 bytes (25 floats)
        List<int[]> plan = GradientBuckets.plan(new long[] {10, 20, 5, 30, 1}, 100);
        assertThat(plan).hasSize(4);
        assertThat(plan.get(0)).containsExactly(4); // 1, then 30 does not fit
        assertThat(plan.get(1)).containsExactly(3); // 30 is over the cap: a bucket of its own
        assertThat(plan.get(2)).containsExactly(2, 1); // 5 + 20 = 25 floats = 100 bytes
        assertThat(plan.get(3)).containsExactly(0);
        assertThat(GradientBuckets.plan(new long[] {10, 20, 5}, 1L << 30)).hasSize(1);
        assertThat(GradientBuckets.plan(new long[0], 100)).isEmpty();
    }

    @Test
    void twoRanksEndWithTheSumOfTheirGradientsInFp32() throws Exception {
        runTwoRanks(false, false);
    }

    @Test
    void twoRanksEndWithTheSumOfTheirGradientsWithBf16WorkingCopies() throws Exception {
        runTwoRanks(true, false);
    }

    @Test
    void aRankWithoutRowsContributesZeros() throws Exception {
        runTwoRanks(false, true);
    }

    /** Each rank: a [3, 4], b [5], c [2]; micro-batch k on rank r multiplies a by (r + 1) * k, b by 2 (r + 1) k; c only in k = 1. */
    private static void runTwoRanks(boolean bf16, boolean rank1Empty) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int finalPort = port;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Map<String, float[]>>> results = new ArrayList<>();
            for (int rank = 0; rank < 2; rank++) {
                int r = rank;
                Callable<Map<String, float[]>> task = () -> rank(r, finalPort, bf16, rank1Empty && r == 1);
                results.add(pool.submit(task));
            }
            for (Future<Map<String, float[]>> result : results) {
                Map<String, float[]> grads = result.get(60, TimeUnit.SECONDS);
                // rank r, micro-batch k in {1, 2}: d/da = (r + 1) k, d/db = 2 (r + 1) k, d/dc = 1 (k = 1 only)
                float sumA = rank1Empty ? 1 * 3 : (1 + 2) * 3;
                assertThat(grads.get("a")).hasSize(12).containsOnly(sumA);
                assertThat(grads.get("b")).hasSize(5).containsOnly(2 * sumA);
                assertThat(grads.get("c")).hasSize(2).containsOnly(rank1Empty ? 1 : 2);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, float[]> rank(int rank, int port, boolean bf16, boolean empty) {
        World world = new World(rank, 2, rank, 2, "127.0.0.1", port, "gloo", Duration.ofSeconds(30));
        try (Collectives collectives = Collectives.join(world)) {
            Map<String, Tensor> masters = new LinkedHashMap<>();
            masters.put("a", Tensors.keep(torch.ones(new long[] {3, 4}, new TensorOptions(ScalarType.Float))));
            masters.put("b", Tensors.keep(torch.ones(new long[] {5}, new TensorOptions(ScalarType.Float))));
            masters.put("c", Tensors.keep(torch.ones(new long[] {2}, new TensorOptions(ScalarType.Float))));
            Map<String, Tensor> working = new LinkedHashMap<>();
            try (NoGradGuard noGrad = new NoGradGuard()) {
                masters.forEach((name, t) -> working.put(name, bf16 ? Tensors.keep(t.to(ScalarType.BFloat16)) : t));
            }
            TrainableWeights weights = new TrainableWeights(working, masters);
            // a cap of 40 bytes: a (48 bytes) alone, b and c (28 bytes) together
            GradientBuckets buckets = new GradientBuckets(collectives, weights, 40, false);
            assertThat(buckets.bucketCount()).isEqualTo(2);
            int passes = empty ? 0 : 2;
            for (int k = 1; k <= passes; k++) {
                Tensor loss = working.get("a").sum().mul(new Scalar((double) (rank + 1) * k))
                        .add(working.get("b").sum().mul(new Scalar(2.0 * (rank + 1) * k)));
                if (k == 1) {
                    loss = loss.add(working.get("c").sum());
                } else {
                    buckets.arm();
                }
                loss.backward();
                weights.accumulateGradients();
            }
            if (empty) {
                buckets.arm();
            }
            buckets.finish();
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (String name : List.of("a", "b", "c")) {
                grads.put(name, Tensors.toFloats(weights.master().get(name).grad().contiguous()));
            }
            return grads;
        }
    }
}
