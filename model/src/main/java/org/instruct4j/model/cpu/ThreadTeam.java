package org.instruct4j.model.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.instruct4j.model.tensor.ThreadCount;

/**
 * A fixed team of threads that share the units of one task at a time: a pass of the CPU engine hands its matrix
 * products to the team dozens of times per token, so a hand-off must cost well under a microsecond. The calling
 * thread works too, and every thread claims units from a shared counter until none is left: a worker that the
 * operating system has not scheduled (the machine is shared) simply takes no units, and the caller only ever waits
 * for units already started. Waiting workers spin briefly (a decode step's next task comes within microseconds),
 * then park, so an idle engine costs no CPU. Tasks are reusable objects: running one allocates nothing.
 *
 * <p>On a machine busy with other work a worker can be descheduled in the middle of a unit, and the caller then waits
 * for it for a whole scheduling slice. When that keeps happening (the caller waited longer than it worked in
 * {@value #SLOW_RUNS} more runs than not), the team runs tasks on the calling thread alone for the next
 * {@value #SERIAL_RUNS}, then tries again.
 */
final class ThreadTeam implements AutoCloseable {
    /** Environment variable bounding the threads of the CPU engine (default: the available processors). */
    static final String VARIABLE = "INSTRUCT4J_THREADS";
    /** About 50 microseconds of spinning before a worker parks. */
    private static final int SPINS = 20_000;
    private static final int SLOW_RUNS = 4;
    private static final int SERIAL_RUNS = 2_000;
    /** Waiting this much longer than working counts as a slow run: more than a late wake-up, less than a slice. */
    private static final long SLACK_NANOS = 50_000;

    /** A task of independent units (rows of a matrix product, attention heads). */
    interface Task {
        void unit(int index);
    }

    private final int size;
    private final Thread[] workers;
    /** 1 while worker i + 1 is parked or about to park; volatile, so a new task and a parking worker never miss each other. */
    private final AtomicIntegerArray parked;
    /** The current task's generation (high 32 bits) and next unclaimed unit (low 32): a stale worker claims nothing. */
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile Task task;
    private volatile int units;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    /** Net count of recent runs where the caller waited on a late worker, and serial runs still to do. */
    private int slowRuns;
    private int serialRuns;

    ThreadTeam(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a thread team needs at least one thread, got " + size);
        }
        this.size = size;
        this.workers = new Thread[size - 1];
        this.parked = new AtomicIntegerArray(Math.max(0, size - 1));
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().daemon().name("instruct4j-cpu-" + (i + 1)).start(() -> work(index));
        }
    }

    /** {@value #VARIABLE}, or every available processor. */
    static int configuredSize() {
        return ThreadCount.parse(VARIABLE, System.getenv(VARIABLE), Runtime.getRuntime().availableProcessors());
    }

    int size() {
        return size;
    }

    /** Runs units [0, count) of {@code task}, shared with the workers when {@code parallel}; returns when all are done. */
    void run(Task task, int count, boolean parallel) {
        if (!parallel || size == 1 || count == 1 || serialRuns > 0) {
            serialRuns = parallel && serialRuns > 0 ? serialRuns - 1 : serialRuns;
            for (int i = 0; i < count; i++) {
                task.unit(i);
            }
            return;
        }
        // The claims move to the new generation first: a worker still on the last one (it may read this task and
        // count before the generation) can then claim nothing, where it could otherwise run and count a unit of
        // this task before its counters are reset, and the caller return while a unit still runs.
        int current = generation + 1;
        claims.set((long) current << 32);
        this.task = task;
        this.units = count;
        finished.set(0);
        generation = current;
        for (int i = 0; i < workers.length; i++) {
            if (parked.get(i) == 1) {
                LockSupport.unpark(workers[i]);
            }
        }
        long start = System.nanoTime();
        claimAndRun(current, task, count);
        long worked = System.nanoTime();
        while (finished.get() < count) {
            Thread.onSpinWait();
        }
        adapt(worked - start, System.nanoTime() - worked);
        this.task = null;
        Throwable error = failure;
        if (error != null) {
            failure = null;
            throw new IllegalStateException("a CPU engine thread failed: " + error, error);
        }
    }

    /** Counts runs where a late worker made the caller wait; after {@value #SLOW_RUNS} net, goes serial for a while. */
    private void adapt(long workedNanos, long waitedNanos) {
        slowRuns = waitedNanos > workedNanos + SLACK_NANOS ? slowRuns + 1 : Math.max(0, slowRuns - 1);
        if (slowRuns >= SLOW_RUNS) {
            slowRuns = 0;
            serialRuns = SERIAL_RUNS;
        }
    }

    /** Claims units of generation {@code current} until none is left (or a newer task began). */
    private void claimAndRun(int current, Task work, int count) {
        while (true) {
            long claim = claims.get();
            int unit = (int) claim;
            if ((int) (claim >>> 32) != current || unit >= count) {
                return;
            }
            if (claims.compareAndSet(claim, claim + 1)) {
                try {
                    work.unit(unit);
                } catch (Throwable e) {
                    failure = e;
                }
                finished.incrementAndGet();
            }
        }
    }

    private void work(int index) {
        int seen = 0;
        while (true) {
            int current = awaitNext(index, seen);
            if (closed) {
                return;
            }
            seen = current;
            Task work = task;
            int count = units;
            if (work != null) {
                claimAndRun(current, work, count);
            }
        }
    }

    private int awaitNext(int index, int seen) {
        for (int spin = 0; spin < SPINS; spin++) {
            int now = generation;
            if (now != seen || closed) {
                return now;
            }
            Thread.onSpinWait();
        }
        parked.set(index, 1);
        try {
            while (true) {
                int now = generation;
                if (now != seen || closed) {
                    return now;
                }
                LockSupport.park(this);
            }
        } finally {
            parked.set(index, 0);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
