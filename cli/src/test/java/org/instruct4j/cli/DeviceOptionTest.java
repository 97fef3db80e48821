package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;

/** --device on this CPU-only machine: cpu and auto run on the CPU; CUDA, or a device that is no device, is a bad option. */
class DeviceOptionTest {
    private static CliRun generate(String device) {
        return CliRun.of("generate-text", "--model", SharedData.path("models/stories260K/stories260K.bin").toString(),
                "--tokenizer", SharedData.path("models/stories260K/tok512.bin").toString(), "--prompt", "Once upon a time",
                "--max-new-tokens", "6", "--device", device);
    }

    @Test
    void cpuAndAutoRunTheModelOnTheCpu() {
        CliRun cpu = generate("cpu");
        CliRun auto = generate("auto");

        assertThat(cpu.exitCode()).as(cpu.err()).isZero();
        assertThat(cpu.out()).startsWith(", there was a little");
        assertThat(auto.out()).isEqualTo(cpu.out());
    }

    @Test
    void cudaOnTheCpuBuildOfLibtorchSaysHowToGetTheGpuBuild() {
        CliRun cuda = generate("cuda:1");
        CliRun nonsense = generate("gpu");

        assertThat(cuda.exitCode()).isEqualTo(2);
        assertThat(cuda.err()).startsWith("instruct4j: error: --device cuda:1: this libtorch is the CPU build")
                .contains("INSTRUCT4J_GPU=1 ./instruct4j");
        assertThat(cuda.out()).isEmpty();
        assertThat(nonsense.exitCode()).isEqualTo(2);
        assertThat(nonsense.err()).contains("--device gpu: use auto, cpu, cuda or cuda:N");
    }
}
