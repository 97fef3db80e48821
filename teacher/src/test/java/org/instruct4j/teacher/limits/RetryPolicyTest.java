package org.instruct4j.teacher.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

    /** A "random" source that always draws {@code value} from [0, 1). */
    private static RandomGenerator always(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void backoffDoublesUpToTheMaximumWithFullJitter() {
        RandomGenerator top = always(0.999999);

        assertThat(policy.delay(1, Optional.empty(), top)).isEqualTo(Duration.ofMillis(99));
        assertThat(policy.delay(2, Optional.empty(), top)).isEqualTo(Duration.ofMillis(199));
        assertThat(policy.delay(3, Optional.empty(), top)).isEqualTo(Duration.ofMillis(399));
        assertThat(policy.delay(4, Optional.empty(), top)).isEqualTo(Duration.ofMillis(799));
        assertThat(policy.delay(5, Optional.empty(), top)).isEqualTo(Duration.ofMillis(999));
        assertThat(policy.delay(30, Optional.empty(), top)).isEqualTo(Duration.ofMillis(999));
        assertThat(policy.delay(3, Optional.empty(), always(0))).isEqualTo(Duration.ZERO);
        assertThat(policy.delay(3, Optional.empty(), always(0.5))).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void retryAfterIsHonouredWithALittleJitter() {
        Optional<Duration> retryAfter = Optional.of(Duration.ofSeconds(7));

        assertThat(policy.delay(1, retryAfter, always(0))).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delay(4, retryAfter, always(0.5))).isEqualTo(Duration.ofMillis(7050));
        assertThat(RetryPolicy.DEFAULT.delay(1, Optional.of(Duration.ofSeconds(2)), always(0.999999)))
                .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void attemptsAreCounted() {
        assertThat(policy.canRetry(4)).isTrue();
        assertThat(policy.canRetry(5)).isFalse();
        assertThat(new RetryPolicy(1, Duration.ZERO, Duration.ZERO).canRetry(1)).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(BadInputException.class);
    }
}
