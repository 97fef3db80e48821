package org.instruct4j.spark.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.spark.Instructions;
import org.instruct4j.spark.SparkCli;
import org.instruct4j.spark.WithFakeTeacher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The partitions' shares of --rpm add up to the global limit: the server never sees more than the global rate. */
class RateLimitTest extends WithFakeTeacher {
    private static final int ROWS = 40;
    private static final double RPM = 240;
    /** Each of the 2 partitions may start with a burst of one second's worth of its share (2 requests). */
    private static final double BURST = 4;

    @TempDir
    Path dir;

    @Test
    void theCombinedRequestRateStaysWithinTheGlobalRpm() {
        Path input = Instructions.write(dir.resolve("in.jsonl"), ROWS);
        // a first small run warms up the JVM, so that slow first requests do not bunch up the measured ones
        answers(input, "4", "warm-up");
        int warmUp = server.log().arrivals().size();
        SparkCli run = answers(input, "0", "out", "--rpm", Double.toString(RPM));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        List<Instant> arrivals = server.log().arrivals().stream().skip(warmUp).sorted().toList();
        assertThat(arrivals).hasSize(ROWS);
        double perSecond = RPM / 60;
        for (int first = 0; first < arrivals.size(); first++) {
            for (int last = first; last < arrivals.size(); last++) {
                double seconds = Duration.between(arrivals.get(first), arrivals.get(last)).toNanos() / 1e9;
                if (seconds >= 2) {
                    // the limiter spaces the requests as they leave; 2 requests' worth of slack absorbs delays on the way
                    assertThat(last - first + 1).as("requests %d..%d within %.3f s", first, last, seconds)
                            .isLessThanOrEqualTo((int) Math.floor(BURST + perSecond * seconds) + 2);
                }
            }
        }
        double total = Duration.between(arrivals.getFirst(), arrivals.getLast()).toNanos() / 1e9;
        // at the global rate the job needs (40 - 4) / 4 = 9 s; one partition alone (its share is 2/s) would need 19 s
        assertThat(total).as("seconds from the first to the last request").isBetween(8.0, 16.0);
    }

    private SparkCli answers(Path input, String limit, String output, String... limits) {
        List<String> args = new ArrayList<>(List.of("generate", "answers", "--input", input.toString(), "--limit", limit,
                "--output", dir.resolve(output).toString(), "--partitions", "2", "--concurrency", "8"));
        args.addAll(List.of(limits));
        return spark(args.toArray(String[]::new));
    }
}
