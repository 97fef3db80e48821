package org.instruct4j.teacher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
    private static final String SECRET = "sk-live-abcdef0123456789";

    @Test
    void printsTheVariableNeverTheValue() {
        ApiKey key = ApiKey.of("OPENAI_API_KEY", SECRET);

        assertThat(key.toString()).isEqualTo("$OPENAI_API_KEY").doesNotContain(SECRET);
        assertThat(key.variable()).isEqualTo("OPENAI_API_KEY");
    }

    @Test
    void redactsEveryOccurrence() {
        ApiKey key = ApiKey.of("OPENAI_API_KEY", SECRET);

        assertThat(key.redact("Bearer " + SECRET + " rejected; " + SECRET))
                .isEqualTo("Bearer <OPENAI_API_KEY> rejected; <OPENAI_API_KEY>");
        assertThat(key.redact(null)).isNull();
    }

    @Test
    void missingVariableIsNamed() {
        String variable = "INSTRUCT4J_SURELY_UNSET_" + System.nanoTime();

        assertThatThrownBy(() -> ApiKey.fromEnvironment(variable))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(variable)
                .hasMessageContaining("--api-key-env");
    }
}
