package org.instruct4j.train.sft;

import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.train.data.EncodedExample;

/**
 * A micro-batch as tensors. Each row holds one example, or with packing several, one after the other; rows are
 * right-padded to the longest. Positions restart at 0 with every example and, when packed, each example gets
 * its own segment number so attention stays inside it. Targets are gathered as flat indices into
 * [rows * steps]: only response and EOS positions are listed, so prompt and padding positions never reach the
 * loss.
 */
record SequenceBatch(Tensor inputIds, Tensor positions, Tensor segments, Tensor targetIndex, Tensor targetIds,
                     long targetTokens, long inputTokens) {

    static SequenceBatch of(List<List<EncodedExample>> rows, int padId, boolean packed, Device device) {
        int steps = 0;
        long targets = 0;
        for (List<EncodedExample> row : rows) {
            int length = 0;
            for (EncodedExample example : row) {
                length += example.inputLength();
                targets += example.targetCount();
            }
            steps = Math.max(steps, length);
        }
        int batch = rows.size();
        long[] ids = new long[batch * steps];
        long[] positions = new long[batch * steps];
        long[] segments = new long[batch * steps];
        long[] targetIndex = new long[(int) targets];
        long[] targetIds = new long[(int) targets];
        java.util.Arrays.fill(ids, padId);
        int t = 0;
        long inputs = 0;
        for (int b = 0; b < batch; b++) {
            int offset = b * steps;
            int segment = 1;
            for (EncodedExample example : rows.get(b)) {
                int[] tokens = example.tokens();
                for (int i = 0; i < example.inputLength(); i++) {
                    ids[offset] = tokens[i];
                    positions[offset] = i;
                    segments[offset] = segment;
                    int target = example.target(i);
                    if (target != EncodedExample.IGNORE) {
                        targetIndex[t] = offset;
                        targetIds[t++] = target;
                    }
                    offset++;
                    inputs++;
                }
                segment++;
            }
            for (int i = 0; offset < (b + 1) * steps; i++) {
                positions[offset++] = i; // padding: its own segment 0, never a target
            }
        }
        return new SequenceBatch(Tensors.longs(ids, device, batch, steps), Tensors.longs(positions, device, batch, steps),
                packed ? Tensors.longs(segments, device, batch, steps) : null, Tensors.longs(targetIndex, device, targets),
                Tensors.longs(targetIds, device, targets), targets, inputs);
    }
}
