package org.instruct4j.teacher.limits;

/**
 * A per-minute limit (requests or tokens per minute) enforced on the client, as a token bucket that
 * refills continuously at limit/60 per second and holds at most {@code burstSeconds} worth. Callers
 * reserve what a request needs and sleep until it is theirs; reservations are served in arrival
 * order, and may go into debt so a large request never starves. {@link #refund} returns what a
 * request was charged but did not use (tokens estimated before the reply).
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private final Clock clock;
    private double available;
    private long updatedNanos;

    /** Time source, replaceable in tests. */
    public interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }

    public RateLimiter(double perMinute, double burstSeconds, Clock clock) {
        if (perMinute <= 0) {
            throw new IllegalArgumentException("a rate limit must be positive, got " + perMinute);
        }
        this.perNano = perMinute / 60e9;
        this.capacity = Math.max(1, perMinute / 60 * burstSeconds);
        this.clock = clock;
        this.available = capacity;
        this.updatedNanos = clock.nanoTime();
    }

    public RateLimiter(double perMinute) {
        this(perMinute, 1.0, Clock.SYSTEM);
    }

    /** Blocks until {@code amount} is available, then takes it. */
    public void acquire(double amount) throws InterruptedException {
        long wait = reserve(amount);
        if (wait > 0) {
            clock.sleepNanos(wait);
        }
    }

    /** Takes {@code amount} now and returns how long the caller must wait before using it. */
    synchronized long reserve(double amount) {
        refill();
        available -= amount;
        return available >= 0 ? 0 : (long) Math.ceil(-available / perNano);
    }

    /** Gives back an over-estimate (never beyond the bucket's capacity). */
    public synchronized void refund(double amount) {
        refill();
        available = Math.min(capacity, available + amount);
    }

    /** Charges more when a request turned out larger than estimated. */
    public synchronized void charge(double amount) {
        refill();
        available -= amount;
    }

    private void refill() {
        long now = clock.nanoTime();
        available = Math.min(capacity, available + (now - updatedNanos) * perNano);
        updatedNanos = now;
    }
}
