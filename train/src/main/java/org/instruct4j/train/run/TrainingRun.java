package org.instruct4j.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.train.checkpoint.Checkpoints;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;
import org.instruct4j.train.optim.AdamW;

/**
 * The run directory of a recipe and what every recipe does with it: refuse to overwrite a run unless asked to
 * resume it, refuse to resume it with settings that would compute something else, write the resolved settings,
 * write checkpoints (model, optimizer state, step, digest of the data) atomically, resume from the latest one,
 * and write the summary that marks the run finished.
 */
public final class TrainingRun {
    public static final String SUMMARY_FILE = "train_summary.json";
    static final String STATE_FILE = "trainer_state.json";
    static final String OPTIMIZER_FILE = "optimizer.pt";

    private final Path output;
    private final String configFile;
    private final Settings settings;
    private final boolean started;
    private final String dataDigest;
    private final Checkpoints checkpoints;
    /** False in the processes of a distributed run but rank 0: they read the run directory and never write it. */
    private final boolean writes;

    private TrainingRun(Path output, String configFile, Settings settings, boolean started, String dataDigest,
                        Checkpoints checkpoints, boolean writes) {
        this.output = output;
        this.configFile = configFile;
        this.settings = settings;
        this.started = started;
        this.dataDigest = dataDigest;
        this.checkpoints = checkpoints;
        this.writes = writes;
    }

    /** The same run for a process that only reads it: it resumes from the checkpoints but writes nothing. */
    public TrainingRun readOnly() {
        return new TrainingRun(output, configFile, settings, started, dataDigest, checkpoints, false);
    }

    /**
     * Opens the output directory of a run whose resolved settings are {@code settings}, written to {@code configFile}.
     * Fails when the directory already holds a run and resume is off, or when it holds a run with other settings
     * (those declared resumable may differ).
     */
    public static TrainingRun open(Settings settings, String configFile) {
        Path output = TrainingSettings.required(settings, TrainingSettings.OUTPUT);
        Path data = TrainingSettings.required(settings, TrainingSettings.DATA);
        Path base = TrainingSettings.required(settings, TrainingSettings.BASE);
        if (!Files.exists(base)) {
            throw new BadInputException("--base " + base + " does not exist");
        }
        if (Files.isDirectory(data)) {
            throw new BadInputException("--data " + data + " is a directory; give the data file");
        }
        if (!Files.isRegularFile(data)) {
            throw new BadInputException("--data " + data + " does not exist");
        }
        boolean started = Files.exists(output.resolve(configFile));
        if (started && !settings.get(TrainingSettings.RESUME)) {
            throw new BadInputException("output " + output + " already holds a run (" + configFile
                    + "); pass --resume to continue it, or choose another --output");
        }
        if (started) {
            checkSameSettings(output.resolve(configFile), settings);
        }
        return new TrainingRun(output, configFile, settings, started, sha256(data),
                new Checkpoints(output.resolve("checkpoints"), settings.get(TrainingSettings.SAVE_TOTAL_LIMIT)), true);
    }

    private static void checkSameSettings(Path savedFile, Settings now) {
        List<String> changed = now.changesFrom(now.schema().defaults().withYaml(savedFile));
        if (!changed.isEmpty()) {
            throw new BadInputException("cannot resume the run in " + savedFile.getParent() + " with different settings: "
                    + String.join(", ", changed));
        }
    }

    public Path output() {
        return output;
    }

    /** The summary of a run that already finished (nothing is left to do), if it did. */
    public Optional<JsonNode> finishedSummary() {
        Path file = output.resolve(SUMMARY_FILE);
        if (!started || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the directory, writes the settings, and restores the latest checkpoint when resuming (through
     * {@code restoreModel} and into {@code optimizer}). Returns the step to start from.
     */
    public int start(Consumer<Path> restoreModel, AdamW optimizer, int totalSteps, Consumer<String> log) {
        if (writes) {
            try {
                Files.createDirectories(output);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + output + ": " + e.getMessage(), e);
            }
            settings.writeYaml(output.resolve(configFile));
            checkpoints.removeIncomplete();
        }
        boolean resume = settings.get(TrainingSettings.RESUME);
        Optional<Path> latest = resume ? checkpoints.latest() : Optional.empty();
        if (latest.isEmpty()) {
            if (resume) {
                log.accept("no checkpoint in " + checkpoints.root() + "; starting from the beginning");
            }
            return 0;
        }
        Path checkpoint = latest.get();
        JsonNode state = readJson(checkpoint.resolve(STATE_FILE));
        if (!dataDigest.equals(state.path("data_sha256").asText())) {
            throw new BadInputException("cannot resume " + checkpoint + ": the data file changed since the run started");
        }
        restoreModel.accept(checkpoint);
        optimizer.load(checkpoint.resolve(OPTIMIZER_FILE));
        int step = state.path("step").asInt();
        log.accept("resumed from " + checkpoint + " at step " + step + " of " + totalSteps);
        return step;
    }

    /** Writes checkpoint {@code step}: the model through {@code saveModel}, the optimizer state and the trainer state. */
    public void checkpoint(int step, int totalSteps, double epoch, Consumer<Path> saveModel, AdamW optimizer) {
        if (!writes) {
            return;
        }
        checkpoints.save(step, dir -> {
            saveModel.accept(dir);
            optimizer.save(dir.resolve(OPTIMIZER_FILE));
            ObjectNode state = Json.object();
            state.put("step", step);
            state.put("total_steps", totalSteps);
            state.put("epoch", epoch);
            state.put("data_sha256", dataDigest);
            AtomicFiles.writeString(dir.resolve(STATE_FILE), state.toPrettyString());
        });
    }

    /** Marks the run finished with {@code summary}. */
    public void finish(ObjectNode summary) {
        if (!writes) {
            return;
        }
        AtomicFiles.writeString(output.resolve(SUMMARY_FILE), summary.toPrettyString());
    }

    private static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
