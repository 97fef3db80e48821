package org.instruct4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelCommandsTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void generateTextContinuesAPromptWithTheLlama2cStoriesModel() {
        Run result = run(new GenerateTextCommand(),
                "--model", SharedData.path("models/stories260K/stories260K.bin").toString(),
                "--tokenizer", SharedData.path("models/stories260K/tok512.bin").toString(),
                "--prompt", "Once upon a time", "--max-new-tokens", "12");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith(", there was a little girl named Lily");
    }

    @Test
    void modelInitWritesADirectoryThatGenerateTextLoads() {
        Path model = dir.resolve("tiny");
        Run init = run(new ModelInitCommand(), "--arch", "llama", "--preset", "tiny",
                "--tokenizer", SharedData.path("models/stories260K/tok512.bin").toString(), "--output", model.toString());

        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(model.resolve("config.json")).exists();
        assertThat(model.resolve("model.safetensors")).exists();
        assertThat(model.resolve("tokenizer.bin")).exists();

        Run generate = run(new GenerateTextCommand(), "--model", model.toString(), "--prompt", "Tell me a story",
                "--prompt-format", "alpaca", "--max-new-tokens", "8", "--temperature", "0.8", "--top-p", "0.9", "--seed", "7");
        Run again = run(new GenerateTextCommand(), "--model", model.toString(), "--prompt", "Tell me a story",
                "--prompt-format", "alpaca", "--max-new-tokens", "8", "--temperature", "0.8", "--top-p", "0.9", "--seed", "7");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).isNotBlank().isEqualTo(again.out());
    }

    @Test
    void aLlama2cCheckpointWithoutTokenizerIsRefused() {
        Run result = run(new GenerateTextCommand(),
                "--model", SharedData.path("models/stories260K/stories260K.bin").toString(), "--prompt", "Hi");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("--tokenizer");
    }
}
