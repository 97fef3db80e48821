package org.instruct4j.train.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;

/**
 * What {@code train sft|reward|dpo --nproc N} runs on each machine, as torchrun does: N worker processes of the same
 * command, this machine's ranks {@code node-rank * N .. node-rank * N + N - 1}, each told its place in torchrun's
 * environment variables ({@link World}). Their output lines are forwarded prefixed with {@code [rank R]}. When one
 * worker fails (an error, or killed, kill -9 included) the others are stopped at once and the launch fails naming
 * that rank; the run directory keeps its last checkpoint, which {@code --resume} continues with any number of
 * processes. Bad settings (no such backend here, the rendezvous port taken) stop the launch before any worker
 * starts.
 */
public final class Launcher {
    private static final int BAD_INPUT = 2;
    private static final long STOP_GRACE_SECONDS = 5;

    private final List<String> command;
    private final Settings settings;
    private final PrintWriter out;
    private final PrintWriter err;

    /** Workers run {@code command} (the whole command line of a worker: java, its flags, class path, main class, arguments). */
    public Launcher(List<String> command, Settings settings, PrintWriter out, PrintWriter err) {
        this.command = List.copyOf(command);
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /** The intra-op threads of each worker when the settings leave them to the machine: the cores shared out. */
    public static int threadsPerWorker(int cores, int nproc) {
        return Math.max(1, cores / nproc);
    }

    /**
     * Checks what can be checked before starting anything (the backend exists here; on node 0 the rendezvous port is
     * free), starts the workers and waits for them. Returns normally when every worker finished.
     *
     * @throws BadInputException for bad settings, or when a worker stopped on bad input (exit 2)
     * @throws IllegalStateException when a worker failed or was killed; the others were stopped
     */
    public void run() {
        int nproc = settings.get(TrainingSettings.NPROC);
        int nodeRank = settings.get(TrainingSettings.NODE_RANK);
        int world = TrainingSettings.worldSize(settings);
        String addr = settings.get(TrainingSettings.MASTER_ADDR);
        int port = settings.get(TrainingSettings.MASTER_PORT);
        Collectives.checkBackend(settings.get(TrainingSettings.DIST_BACKEND));
        if (nodeRank == 0) {
            checkPortFree(addr, port);
        }
        List<Process> workers = new ArrayList<>();
        List<Thread> forwarders = new ArrayList<>();
        Thread stopOnExit = new Thread(() -> workers.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            for (int local = 0; local < nproc; local++) {
                int rank = nodeRank * nproc + local;
                ProcessBuilder builder = new ProcessBuilder(command);
                Map<String, String> env = builder.environment();
                env.put(World.WORKER, "1");
                env.put(World.RANK, String.valueOf(rank));
                env.put(World.WORLD_SIZE, String.valueOf(world));
                env.put(World.LOCAL_RANK, String.valueOf(local));
                env.put(World.LOCAL_WORLD_SIZE, String.valueOf(nproc));
                env.put("GROUP_RANK", String.valueOf(nodeRank));
                env.put(World.MASTER_ADDR, addr);
                env.put(World.MASTER_PORT, String.valueOf(port));
                Process process;
                try {
                    process = builder.start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start worker rank " + rank + " (" + command.get(0) + "): " + e.getMessage(), e);
                }
                workers.add(process);
                forwarders.add(forward(process.getInputStream(), "[rank " + rank + "] ", out));
                forwarders.add(forward(process.getErrorStream(), "[rank " + rank + "] ", err));
            }
            Failure failure = awaitAll(workers, nodeRank * nproc);
            if (failure != null) {
                stop(workers);
            }
            for (Thread forwarder : forwarders) {
                forwarder.join(TimeUnit.SECONDS.toMillis(STOP_GRACE_SECONDS));
            }
            if (failure != null) {
                throw failure.error(workers.size() - 1, settings.get(TrainingSettings.OUTPUT));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the workers ran; they were stopped", e);
        } finally {
            stop(workers);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs anyway
            }
        }
    }

    /** The first worker to fail: its rank, pid and exit code. */
    record Failure(int rank, long pid, int exitCode) {
        RuntimeException error(int others, java.nio.file.Path output) {
            if (exitCode == BAD_INPUT) {
                return new BadInputException("rank " + rank + " stopped on bad input (its message is above); the other " + others
                        + " process" + (others == 1 ? " was" : "es were") + " stopped");
            }
            String how = exitCode > 128 && exitCode < 128 + 65
                    ? "was killed by signal " + (exitCode - 128) + signalName(exitCode - 128)
                    : "failed with exit code " + exitCode;
            return new IllegalStateException("rank " + rank + " (pid " + pid + ") " + how + "; stopped the other " + others
                    + " process" + (others == 1 ? "" : "es") + ". The run directory" + (output == null ? "" : " " + output)
                    + " keeps its last checkpoint: rerun with --resume (with any --nproc) to continue");
        }

        private static String signalName(int signal) {
            return switch (signal) {
                case 9 -> " (SIGKILL)";
                case 15 -> " (SIGTERM)";
                case 6 -> " (SIGABRT)";
                case 11 -> " (SIGSEGV)";
                case 2 -> " (SIGINT)";
                default -> "";
            };
        }
    }

    /** Waits until every worker exited 0 (null) or one failed (the first to). */
    private static Failure awaitAll(List<Process> workers, int firstRank) throws InterruptedException {
        List<CompletableFuture<Process>> exits = workers.stream().map(Process::onExit).toList();
        List<CompletableFuture<Process>> running = new ArrayList<>(exits);
        while (!running.isEmpty()) {
            try {
                CompletableFuture.anyOf(running.toArray(CompletableFuture[]::new)).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < workers.size(); i++) {
                Process p = workers.get(i);
                if (!p.isAlive() && running.remove(exits.get(i)) && p.exitValue() != 0) {
                    return new Failure(firstRank + i, p.pid(), p.exitValue());
                }
            }
        }
        return null;
    }

    /** Asks the workers still running to stop, then kills those that did not within a few seconds. */
    private static void stop(List<Process> workers) {
        workers.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
        for (Process p : workers) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly().waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread forward(InputStream stream, String prefix, PrintWriter to) {
        Thread thread = Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    synchronized (to) {
                        to.println(prefix + line);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the worker is gone; its exit code tells what happened
            }
        });
        return thread;
    }

    /** Node 0 hosts the rendezvous store on {@code addr:port}; fails when something else listens there. */
    static void checkPortFree(String addr, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(addr, port));
        } catch (BindException e) {
            throw new BadInputException("--master-port " + port + " on " + addr + " is in use (another run, or another program); "
                    + "choose a free port with --master-port");
        } catch (IOException e) {
            throw new BadInputException("--master-addr " + addr + ", --master-port " + port + ": cannot listen there: " + e.getMessage());
        }
    }
}
