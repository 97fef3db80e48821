package org.instruct4j.train.dist;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.instruct4j.core.io.BadInputException;

/**
 * This process's place in a distributed run, as a launcher hands it over in torchrun's environment variables:
 * {@code RANK} (0 .. WORLD_SIZE-1 over all machines), {@code WORLD_SIZE}, {@code LOCAL_RANK} and
 * {@code LOCAL_WORLD_SIZE} (on this machine), {@code MASTER_ADDR} and {@code MASTER_PORT} (the rendezvous store
 * on rank 0's machine). {@value #WORKER} marks a process as a worker of instruct4j's launcher, so that variables
 * left in a shell by some other job are never taken for a distributed run.
 */
public record World(int rank, int size, int localRank, int localSize, String masterAddr, int masterPort, String backend,
                    Duration timeout) {
    public static final String WORKER = "INSTRUCT4J_DIST_WORKER";
    public static final String RANK = "RANK";
    public static final String WORLD_SIZE = "WORLD_SIZE";
    public static final String LOCAL_RANK = "LOCAL_RANK";
    public static final String LOCAL_WORLD_SIZE = "LOCAL_WORLD_SIZE";
    public static final String MASTER_ADDR = "MASTER_ADDR";
    public static final String MASTER_PORT = "MASTER_PORT";

    public World {
        if (size < 1 || rank < 0 || rank >= size || localRank < 0 || localRank >= localSize) {
            throw new IllegalArgumentException("rank " + rank + " of " + size + ", local rank " + localRank + " of " + localSize);
        }
    }

    /** The single process of a run that is not distributed. */
    public static World single() {
        return new World(0, 1, 0, 1, "127.0.0.1", 0, "gloo", Duration.ofMinutes(30));
    }

    public boolean distributed() {
        return size > 1;
    }

    /** Whether this process writes the run's files (checkpoints, metrics, the model): rank 0 alone. */
    public boolean writes() {
        return rank == 0;
    }

    /**
     * The world {@code env} describes when it marks a launcher's worker, with the backend and timeout of the run's
     * settings; empty otherwise.
     */
    public static Optional<World> fromEnvironment(Map<String, String> env, String backend, Duration timeout) {
        if (env.get(WORKER) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new World(number(env, RANK), number(env, WORLD_SIZE), number(env, LOCAL_RANK),
                    number(env, LOCAL_WORLD_SIZE), required(env, MASTER_ADDR), number(env, MASTER_PORT), backend, timeout));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("a distributed worker's environment is inconsistent: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new BadInputException("a distributed worker needs the environment variable " + name);
        }
        return value;
    }

    private static int number(Map<String, String> env, String name) {
        String value = required(env, name);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("environment variable " + name + "='" + value + "' is not an integer");
        }
    }
}
