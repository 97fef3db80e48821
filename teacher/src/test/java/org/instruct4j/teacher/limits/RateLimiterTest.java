package org.instruct4j.teacher.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    /** A clock that only moves when told to, or when someone sleeps on it. */
    private static final class FakeClock implements RateLimiter.Clock {
        long now = 123 * SECOND;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }

        void advance(long nanos) {
            now += nanos;
        }
    }

    private final FakeClock clock = new FakeClock();

    @Test
    void burstIsFreeThenEachRequestWaitsItsTurn() {
        RateLimiter limiter = new RateLimiter(60, 5, clock);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.reserve(1)).isZero();
        }
        assertThat(limiter.reserve(1)).isEqualTo(SECOND);
        assertThat(limiter.reserve(1)).isEqualTo(2 * SECOND);
        assertThat(limiter.reserve(1)).isEqualTo(3 * SECOND);
    }

    @Test
    void steadyRateRefillsContinuously() {
        RateLimiter limiter = new RateLimiter(120, 1, clock);
        limiter.reserve(2);

        clock.advance(SECOND / 4);
        assertThat(limiter.reserve(1)).isEqualTo(SECOND / 4);
        clock.advance(SECOND / 2);
        assertThat(limiter.reserve(1)).isEqualTo(SECOND / 4);
        clock.advance(SECOND);
        assertThat(limiter.reserve(1)).isZero();
        assertThat(limiter.reserve(1)).isEqualTo(SECOND / 4);
    }

    @Test
    void idleTimeNeverSavesMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(600, 2, clock);

        clock.advance(3600 * SECOND);

        for (int i = 0; i < 20; i++) {
            assertThat(limiter.reserve(1)).isZero();
        }
        assertThat(limiter.reserve(1)).isEqualTo(SECOND / 10);
    }

    @Test
    void reservationsAreServedInArrivalOrderAndALargeOneGoesIntoDebt() {
        RateLimiter tokens = new RateLimiter(600, 1, clock);

        long large = tokens.reserve(50);
        long small = tokens.reserve(1);
        long next = tokens.reserve(1);

        assertThat(large).isEqualTo(4 * SECOND);
        assertThat(small).isEqualTo(4 * SECOND + SECOND / 10);
        assertThat(next).isEqualTo(4 * SECOND + 2 * SECOND / 10);
    }

    @Test
    void refundReturnsAnOverEstimate() {
        RateLimiter tokens = new RateLimiter(600, 1, clock);

        assertThat(tokens.reserve(100)).isEqualTo(9 * SECOND);
        tokens.refund(80);

        assertThat(tokens.reserve(1)).isEqualTo(SECOND + SECOND / 10);
    }

    @Test
    void refundNeverFillsBeyondTheBurst() {
        RateLimiter tokens = new RateLimiter(600, 1, clock);

        tokens.refund(1000);

        assertThat(tokens.reserve(10)).isZero();
        assertThat(tokens.reserve(1)).isEqualTo(SECOND / 10);
    }

    @Test
    void chargeTakesWhatARequestUsedBeyondItsEstimate() {
        RateLimiter tokens = new RateLimiter(600, 1, clock);

        assertThat(tokens.reserve(5)).isZero();
        tokens.charge(20);

        assertThat(tokens.reserve(1)).isEqualTo(SECOND + 6 * SECOND / 10);
    }

    @Test
    void acquireSleepsExactlyTheWait() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(60, 1, clock);

        limiter.acquire(1);
        limiter.acquire(1);
        limiter.acquire(3);

        assertThat(clock.sleeps).containsExactly(SECOND, 3 * SECOND);
    }

    @Test
    void aBurstBelowOneRequestStillLetsOneThrough() {
        RateLimiter slow = new RateLimiter(30, 1, clock);

        assertThat(slow.reserve(1)).isZero();
        assertThat(slow.reserve(1)).isEqualTo(2 * SECOND);
    }

    @Test
    void noOneSecondWindowHoldsMoreThanRatePlusBurst() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(600, 1, clock);
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            limiter.acquire(1);
            starts.add(clock.now);
            clock.advance(SECOND / 1000 * (i % 7));
        }

        for (int i = 0; i < starts.size(); i++) {
            long windowEnd = starts.get(i) + SECOND;
            long inWindow = starts.stream().filter(t -> t >= windowEnd - SECOND && t < windowEnd).count();
            assertThat(inWindow).as("starts in the second after request %d", i).isLessThanOrEqualTo(10 + 10);
        }
        long last = starts.getLast() - starts.getFirst();
        assertThat(starts.size()).isLessThanOrEqualTo(10 + (int) (10 * last / SECOND) + 1);
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> new RateLimiter(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(-5, 1, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
