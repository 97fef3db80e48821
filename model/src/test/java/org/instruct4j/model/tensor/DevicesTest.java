package org.instruct4j.model.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** --device on this CPU-only machine, and the choices and errors a GPU machine would meet. */
class DevicesTest {
    @AfterEach
    void backToAuto() {
        Devices.use("auto");
    }

    @Test
    void cpuAndAutoRunOnTheCpuHere() {
        assertThat(Devices.use("cpu").is_cpu()).isTrue();
        assertThat(Tensors.defaultDevice().is_cpu()).isTrue();
        assertThat(Devices.use("AUTO").is_cpu()).isTrue();
    }

    @Test
    void askingForCudaOnTheCpuBuildSaysHowToGetTheGpuBuild() {
        assertThatThrownBy(() -> Devices.use("cuda"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("--device cuda: this libtorch is the CPU build")
                .hasMessageContaining("INSTRUCT4J_GPU=1").hasMessageContaining("--device cpu");
        assertThat(Tensors.defaultDevice().is_cpu()).isTrue();
    }

    @Test
    void onTheGpuBuildCudaPicksAVisibleDeviceOrSaysWhyNot() {
        assertThat(Devices.parse("cuda", 2, true).str().getString()).isEqualTo("cuda:0");
        assertThat(Devices.parse("cuda:1", 2, true).str().getString()).isEqualTo("cuda:1");
        assertThat(Devices.parse("auto", 1, true).is_cuda()).isTrue();
        assertThatThrownBy(() -> Devices.parse("cuda:2", 2, true))
                .hasMessageContaining("only 2 CUDA devices are visible (cuda:0..cuda:1)");
        assertThatThrownBy(() -> Devices.parse("cuda", 0, true))
                .hasMessageContaining("no CUDA device is visible").hasMessageContaining("nvidia-smi");
    }

    @Test
    void aMalformedDeviceIsABadOption() {
        assertThatThrownBy(() -> Devices.use("gpu")).isInstanceOf(BadInputException.class)
                .hasMessage("--device gpu: use auto, cpu, cuda or cuda:N");
        assertThatThrownBy(() -> Devices.use("cuda:x")).hasMessageContaining("use auto, cpu, cuda or cuda:N");
    }
}
