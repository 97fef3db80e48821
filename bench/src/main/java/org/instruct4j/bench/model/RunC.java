package org.instruct4j.bench.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a build of llama2.c's run.c (built by hand from karpathy/llama2.c, see BENCHMARKS.md) greedily from BOS and
 * reads the tokens/s it reports ("achieved tok/s"), which times every step after the first.
 */
record RunC(Path binary, int threads) {
    private static final Pattern RATE = Pattern.compile("achieved tok/s: ([0-9.]+)");

    /** Tokens/s of {@code steps} greedy steps of {@code checkpoint} with {@code tokenizer}. */
    double tokensPerSecond(Path checkpoint, Path tokenizer, int steps) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(binary.toString(), checkpoint.toString(), "-t", "0",
                "-n", Integer.toString(steps), "-z", tokenizer.toString()));
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        // As a user runs it: bench/run sets a passive wait policy for libtorch's OpenMP, which slows run.c's threads.
        builder.environment().remove("OMP_WAIT_POLICY");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(binary + " failed: " + err);
        }
        Matcher m = RATE.matcher(err);
        if (!m.find()) {
            throw new IllegalStateException(binary + " printed no rate: " + err);
        }
        return Double.parseDouble(m.group(1));
    }

    String label() {
        return "run.c " + binary.getFileName() + " (" + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    }
}
