package org.instruct4j.train.optim;

import org.instruct4j.core.io.BadInputException;

/**
 * transformers' schedules (get_cosine_schedule_with_warmup and friends): linear warmup from 0 over
 * ceil(warmupRatio * total) steps, then cosine decay to 0, linear decay to 0, or constant. The rate of step s
 * (0-based) is the one the optimizer uses for that step, so the first step of a warmup uses 0.
 */
public record LearningRateSchedule(String kind, double peak, int totalSteps, int warmupSteps) {

    public static LearningRateSchedule of(String kind, double peak, int totalSteps, double warmupRatio) {
        return new LearningRateSchedule(kind, peak, totalSteps, (int) Math.ceil(totalSteps * warmupRatio));
    }

    public double at(int step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return switch (kind) {
            case "cosine" -> peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
            case "linear" -> peak * Math.max(0, 1 - progress);
            case "constant" -> peak;
            default -> throw new BadInputException("unknown lr-scheduler '" + kind + "': use cosine, linear or constant");
        };
    }
}
