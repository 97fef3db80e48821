package org.instruct4j.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The thread team hands each unit of a task to exactly one thread, and only while that task runs. */
class ThreadTeamTest {
    /** A task whose units check that they run inside its own run, and count themselves. */
    private static final class Checked implements ThreadTeam.Task {
        volatile boolean running;
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger outside = new AtomicInteger();

        @Override
        public void unit(int index) {
            if (!running) {
                outside.incrementAndGet();
            }
            ran.incrementAndGet();
            Thread.onSpinWait();
        }

        void run(ThreadTeam team, int units) {
            running = true;
            team.run(this, units, true);
            running = false;
        }
    }

    /**
     * Tasks of different sizes one after another, as a decode step's products, attention and row work are: a worker
     * that wakes late for one task must never run a unit of the next one before it is published, nor count it, or
     * the caller returns while a unit still runs (a unit of attention then found its step gone).
     */
    @Test
    void aUnitRunsOnceAndOnlyWhileItsTaskRuns() {
        Checked small = new Checked(), large = new Checked();
        int rounds = 200_000;
        // more threads than cores: workers are descheduled at any point, such as between reading a task's generation
        // and the task (before the fix, 1 to 155 units in 1.6 million ran twice here on 2 cores)
        try (ThreadTeam team = new ThreadTeam(8)) {
            for (int i = 0; i < rounds; i++) {
                small.run(team, 2);
                large.run(team, 8);
            }
        }
        assertThat(small.outside.get() + large.outside.get()).as("units run outside their task's run").isZero();
        assertThat(small.ran.get()).isEqualTo(2 * rounds);
        assertThat(large.ran.get()).isEqualTo(8 * rounds);
    }
}
