package org.instruct4j.cli.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.FileRoles;
import java.lang.management.ManagementFactory;
import org.instruct4j.cli.Main;
import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Setting;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.dist.Launcher;
import org.instruct4j.train.dist.World;
import org.instruct4j.cli.ModelRuntimeOptions;
import org.instruct4j.model.tensor.Devices;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine;

/**
 * What every {@code train} recipe command takes: the base model, data, output and tokenizer as options, a YAML
 * file, and any setting as {@code --key=value}; resolved in that order (defaults, YAML, options).
 */
public abstract class RecipeCommand implements Runnable {
    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--base", paramLabel = "DIR", description = "Base model: Hugging Face directory, or llama2.c .bin with --tokenizer.")
    Path base;

    @Reads
    @Option(names = "--data", paramLabel = "FILE", description = "Training data (see the data setting below).")
    Path data;

    @Writes(FileRoles.Kind.DIRECTORY)
    @Option(names = "--output", paramLabel = "DIR", description = "Run directory: model, checkpoints/, metrics.jsonl.")
    Path output;

    @Reads(FileRoles.Kind.FILE_OR_DIRECTORY)
    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer of a llama2.c base.")
    Path tokenizer;

    @Reads
    @Option(names = "--config", paramLabel = "FILE.yaml", description = "YAML settings (keys as below, snake_case or kebab-case).")
    Path config;

    @Mixin
    ModelRuntimeOptions runtime;

    @Unmatched
    List<String> settings = new ArrayList<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Trains on the device --device chose; with {@code --nproc} above 1 (or {@code --nnodes}), launches this machine's
     * worker processes of the same command instead ({@link Launcher}), which then train.
     */
    @Override
    public final void run() {
        Settings resolved = schema().resolve(config, overrides());
        boolean worker = System.getenv(World.WORKER) != null;
        boolean nccl = resolved.get(TrainingSettings.DIST_BACKEND).equals("nccl");
        // NCCL: one process per GPU, each on the GPU of its local rank unless --device says otherwise
        Devices.use(worker && nccl && runtime.device().equals("auto") ? "cuda:" + System.getenv(World.LOCAL_RANK) : runtime.device());
        if (TrainingSettings.worldSize(resolved) > 1 && !worker) {
            new Launcher(workerCommand(resolved), resolved, out(), spec.commandLine().getErr()).run();
            return;
        }
        train();
    }

    /** The recipe's settings. */
    abstract Schema schema();

    /** Resolves the settings, runs the recipe, reports where its result is. */
    abstract void train();

    /**
     * A worker: this command line again, in a JVM like this one (its java, flags and class path), with the cores shared
     * out between the machine's workers unless --threads was set.
     */
    private List<String> workerCommand(Settings resolved) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib:jdwp") && !flag.startsWith("-Xrunjdwp")) {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        if (resolved.get(TrainingSettings.THREADS) == 0) {
            command.add("--threads=" + Launcher.threadsPerWorker(Runtime.getRuntime().availableProcessors(),
                    resolved.get(TrainingSettings.NPROC)));
        }
        return command;
    }

    /** The --key=value overrides, with the named options among them. */
    List<String> overrides() {
        List<String> overrides = new ArrayList<>(settings);
        addPath(overrides, "base", base);
        addPath(overrides, "data", data);
        addPath(overrides, "output", output);
        addPath(overrides, "tokenizer", tokenizer);
        return overrides;
    }

    private static void addPath(List<String> overrides, String key, Path value) {
        if (value != null) {
            overrides.add("--" + key + "=" + value);
        }
    }

    /** The recipe's messages on stderr, unless quiet. */
    Consumer<String> log(boolean quiet) {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            if (!quiet) {
                err.println(line);
                err.flush();
            }
        };
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The settings table shown at the end of --help. */
    public static String settingsHelp(List<Setting<?>> settings) {
        StringBuilder text = new StringBuilder("%nSettings, with their defaults (--key=value, or key: value in the YAML file):%n");
        for (Setting<?> setting : settings) {
            String entry = String.format("  --%s=%s%n      %s%n", setting.name(), setting.defaultText(), setting.help());
            text.append(entry.replace("%", "%%"));
        }
        return text.toString();
    }
}
