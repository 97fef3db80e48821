package org.instruct4j.model.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlasThreadsTest {
    @Test
    void oneThreadUnlessTheVariableSaysOtherwise() {
        assertThat(BlasThreads.threads(null)).isEqualTo(1);
        assertThat(BlasThreads.threads(" ")).isEqualTo(1);
        assertThat(BlasThreads.threads("2")).isEqualTo(2);
    }

    @Test
    void aBadValueNamesTheVariable() {
        assertThatThrownBy(() -> BlasThreads.threads("two")).hasMessage("INSTRUCT4J_BLAS_THREADS must be a positive number of threads, got 'two'");
        assertThatThrownBy(() -> BlasThreads.threads("0")).hasMessageContaining("positive");
    }
}
