package org.instruct4j.train.dist;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.io.BadInputException;

/**
 * The processes of a distributed run talking through libtorch's c10d: they meet at a {@code TCPStore} that rank 0
 * hosts on {@code MASTER_ADDR:MASTER_PORT} (the others connect to it, retrying until the timeout), then build a
 * process group on it: {@code ProcessGroupGloo} for CPU tensors, {@code ProcessGroupNCCL} for CUDA tensors (the GPU
 * build only). Every collective is a sum; rank 0's values win a broadcast.
 */
public final class Collectives implements AutoCloseable {
    private final World world;
    private final TCPStore store;
    private final Backend group;

    private Collectives(World world, TCPStore store, Backend group) {
        this.world = world;
        this.store = store;
        this.group = group;
    }

    /**
     * Joins the run {@code world} describes; fails with a message naming the address when the store cannot be
     * reached (or, on rank 0, hosted) within the world's timeout.
     */
    public static Collectives join(World world) {
        checkBackend(world.backend());
        Milliseconds timeout = new Milliseconds(world.timeout().toMillis());
        TCPStoreOptions options = new TCPStoreOptions();
        options.port((short) world.masterPort());
        options.isServer(world.rank() == 0);
        options.numWorkers(new SizeTPointer(1).put(world.size()));
        options.waitWorkers(true);
        options.timeout(timeout);
        TCPStore store;
        try {
            store = new TCPStore(world.masterAddr(), options);
        } catch (RuntimeException e) {
            throw new IllegalStateException("rank " + world.rank() + ": cannot " + (world.rank() == 0 ? "host" : "reach")
                    + " the rendezvous store at " + world.masterAddr() + ":" + world.masterPort() + " (--master-addr, --master-port)"
                    + " within " + world.timeout() + ": " + e.getMessage(), e);
        }
        Backend group;
        if (world.backend().equals("nccl")) {
            group = new org.bytedeco.pytorch.nccl.ProcessGroupNCCL(store, world.rank(), world.size());
        } else {
            ProcessGroupGloo.Options gloo = ProcessGroupGloo.Options.create(timeout);
            gloo.devices().push_back(ProcessGroupGloo.createDeviceForHostname(glooHost(world)));
            group = new ProcessGroupGloo(store, world.rank(), world.size(), gloo);
        }
        return new Collectives(world, store, group);
    }

    /**
     * The address Gloo binds to: the loopback address when the whole run is on this machine over the loopback (the
     * tests, {@code --nproc} alone), else the host name, which must resolve to an address the other nodes reach.
     */
    private static String glooHost(World world) {
        boolean loopback = world.masterAddr().equals("127.0.0.1") || world.masterAddr().equals("localhost");
        if (loopback) {
            return "127.0.0.1";
        }
        String override = System.getenv("GLOO_SOCKET_HOSTNAME");
        if (override != null && !override.isBlank()) {
            return override;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("cannot name this host for Gloo (set GLOO_SOCKET_HOSTNAME): " + e.getMessage(), e);
        }
    }

    /** A backend this libtorch can run: NCCL only with CUDA. */
    public static void checkBackend(String backend) {
        if (backend.equals("nccl") && !torch.cuda_is_available()) {
            throw new BadInputException("--dist-backend nccl needs CUDA, and this libtorch sees none (the CPU build, or no visible "
                    + "GPU); use --dist-backend gloo on CPUs, or the GPU build (README, \"GPU\") on a GPU machine");
        }
    }

    public World world() {
        return world;
    }

    /** Starts summing {@code tensor} over every process, in place; wait for the returned work before reading it. */
    public Work allReduceStart(Tensor tensor) {
        return group.allreduce(new TensorVector(tensor));
    }

    /** Waits for {@code work}; a peer that died or timed out fails here with the collective's error. */
    public void await(Work work, String what) {
        try {
            work._wait();
        } catch (RuntimeException e) {
            throw new IllegalStateException("rank " + world.rank() + ": " + what + " failed (another process stopped?): "
                    + e.getMessage(), e);
        }
    }

    /** {@code values} summed over every process (in fp64). */
    public double[] sum(double[] values) {
        try (PointerScope scope = new PointerScope()) {
            Tensor t = doubles(values);
            await(allReduceStart(t), "all-reduce of the step's sums");
            return toDoubles(t, values.length);
        }
    }

    /** Rank 0's {@code value}, on every process (a decision only rank 0 may take, such as stopping at max-time). */
    public boolean fromRank0(boolean value) {
        try (PointerScope scope = new PointerScope()) {
            Tensor t = doubles(new double[] {value ? 1 : 0});
            BroadcastOptions options = new BroadcastOptions();
            options.rootRank(0);
            await(group.broadcast(new TensorVector(t), options), "broadcast from rank 0");
            return toDoubles(t, 1)[0] != 0;
        }
    }

    /** {@code values} as an fp64 tensor where the backend communicates (the CPU for Gloo, this rank's GPU for NCCL). */
    private Tensor doubles(double[] values) {
        Tensor cpu = torch.zeros(new long[] {values.length}, new TensorOptions(ScalarType.Double));
        new DoublePointer(cpu.data_ptr()).put(values);
        return world.backend().equals("nccl") ? cpu.to(new Device("cuda:" + world.localRank()), ScalarType.Double) : cpu;
    }

    private static double[] toDoubles(Tensor t, int n) {
        Tensor cpu = t.device().is_cpu() ? t : t.cpu();
        double[] out = new double[n];
        new DoublePointer(cpu.contiguous().data_ptr()).get(out);
        return out;
    }

    /** Waits until every process got here. */
    public void barrier() {
        await(group.barrier(), "barrier");
    }

    @Override
    public void close() {
        group.close();
        store.close();
    }
}
