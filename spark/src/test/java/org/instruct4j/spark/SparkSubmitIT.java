package org.instruct4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.tasks.AnswerTask;
import org.instruct4j.teacher.tasks.InstructionInput;
import org.instruct4j.teacher.tasks.Language;
import org.instruct4j.testkit.FakeOpenAiServer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar under Spark's own {@code SparkSubmit}, in a separate JVM whose classpath holds only what a Spark 4.2
 * distribution ships (Spark, Scala, Jackson, SLF4J): everything else must come from the jar.
 */
@Tag("slow")
class SparkSubmitIT {
    private static final Path ALPACA = SharedData.path("alpaca/alpaca_5000_subset_pr152.json");

    @TempDir
    Path dir;

    @Test
    void theJobJarRunsUnderSparkSubmitAndWritesWhatTheSingleMachineRunWrites() throws IOException, InterruptedException {
        Path output = dir.resolve("answers");
        try (FakeOpenAiServer server = new FakeOpenAiServer().apiKey(SparkCli.apiKey()).start()) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.asList(System.getProperty("spark.jvm.args").trim().split("\\s+")));
            command.addAll(List.of("-cp", sparkDistribution(), "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                    "--class", "org.instruct4j.spark.cli.SparkMain", Path.of("target", "instruct4j-spark.jar").toAbsolutePath().toString(),
                    "generate", "answers", "--input", ALPACA.toString(), "--limit", "30", "--output", output.toString(),
                    "--base-url", server.baseUrl(), "--api-key-env", SparkCli.KEY_VARIABLE, "--quiet"));
            Path log = dir.resolve("spark-submit.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();

            String printed = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(printed).isZero();
            assertThat(printed).contains("answers: 30 new rows, 0 already done, 0 failed");
            var task = new AnswerTask(InstructionInput.open(ALPACA, 30), "gpt-4", Sampling.PAPER_DEFAULTS, Language.EN);
            assertThat(OutputRows.byId(output)).hasSize(30)
                    .isEqualTo(OutputRows.byId(SingleMachine.run(server, task, dir.resolve("single.jsonl"))));
        }
    }

    /** Spark and its dependencies (the build's provided classpath), plus the Jackson and SLF4J jars Spark ships. */
    private static String sparkDistribution() throws IOException {
        List<String> jars = new ArrayList<>(List.of(Files.readString(Path.of("target", "spark-classpath.txt")).trim().split(File.pathSeparator)));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.matches("(jackson-(core|databind|annotations)|slf4j-(api|simple))-.*\\.jar")) {
                jars.add(entry);
            }
        }
        return String.join(File.pathSeparator, jars);
    }
}
