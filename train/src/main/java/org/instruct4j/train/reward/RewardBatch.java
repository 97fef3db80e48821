package org.instruct4j.train.reward;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.tensor.Tensors;

/**
 * Token sequences as one right-padded batch, with the flat index (into [rows * steps]) of each row's last real
 * token, where the reward is read. Right padding needs no attention mask: in a causal model no real token ever
 * attends to the padding after it.
 */
record RewardBatch(Tensor inputIds, Tensor positions, Tensor lastIndex) {

    static RewardBatch of(List<int[]> sequences, int padId, Device device) {
        int rows = sequences.size();
        int steps = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
        long[] ids = new long[rows * steps];
        long[] positions = new long[rows * steps];
        long[] last = new long[rows];
        Arrays.fill(ids, padId);
        for (int b = 0; b < rows; b++) {
            int[] tokens = sequences.get(b);
            for (int i = 0; i < steps; i++) {
                positions[b * steps + i] = i;
                if (i < tokens.length) {
                    ids[b * steps + i] = tokens[i];
                }
            }
            last[b] = (long) b * steps + tokens.length - 1;
        }
        return new RewardBatch(Tensors.longs(ids, device, rows, steps), Tensors.longs(positions, device, rows, steps),
                Tensors.longs(last, device, rows));
    }
}
