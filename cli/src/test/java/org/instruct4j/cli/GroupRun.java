package org.instruct4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.instruct4j.testkit.SharedData;

/**
 * The command line run in a fresh JVM with one command group's class path only, as ./instruct4j runs it: the
 * group's target/classpath.txt, which the build writes for every group module.
 */
record GroupRun(int exitCode, String out, String err) {
    /** The class path ./instruct4j gives {@code module}'s commands. */
    static List<String> classPath(String module) {
        Path file = SharedData.repositoryRoot().resolve(module).resolve("target/classpath.txt");
        try {
            return List.of(Files.readString(file).strip().split(":"));
        } catch (IOException e) {
            throw new UncheckedIOException("no class path for " + module + " (the build writes it at process-classes)", e);
        }
    }

    /** Runs {@code args} with {@code module}'s class path; {@code env} adds to (or, with null values, removes from) ours. */
    static GroupRun of(String module, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dfile.encoding=UTF-8", "-cp", String.join(":", classPath(module)),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        env.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            Path out = Files.createTempFile("group-run", ".out");
            Path err = Files.createTempFile("group-run", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("instruct4j " + String.join(" ", args) + " did not finish");
            }
            GroupRun run = new GroupRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
