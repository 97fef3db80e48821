package org.instruct4j.eval.answer;

import java.util.List;
import java.util.Map;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.SamplingOverrides;

/**
 * The decoding settings of each question's answer, as FastChat chooses them: llm_judge questions (MT-bench) are
 * answered at their {@code required_temperature}, else at the temperature of their category
 * ({@code common.py}'s {@code temperature_config}: 0 for math, coding, reasoning and extraction, 0.1 for STEM and the
 * humanities, 0.7 for writing, role play and anything else); other questions at the defaults' temperature. Settings the
 * user gave override all of these.
 */
public record AnswerSampling(Sampling defaults, SamplingOverrides overrides) {
    /** FastChat's answer generation: temperature 0.7 unless the category says otherwise, up to 1024 new tokens. */
    public static final Sampling FASTCHAT_DEFAULTS = new Sampling(0.7, 1.0, 1024, List.of());

    private static final Map<String, Double> CATEGORY_TEMPERATURES = Map.of("writing", 0.7, "roleplay", 0.7, "extraction", 0.0,
            "math", 0.0, "coding", 0.0, "reasoning", 0.0, "stem", 0.1, "humanities", 0.1, "arena-hard-200", 0.0);

    public Sampling forQuestion(EvalQuestion question) {
        double temperature = defaults.temperature();
        if (question.conversation()) {
            temperature = question.requiredTemperature() != null ? question.requiredTemperature()
                    : CATEGORY_TEMPERATURES.getOrDefault(question.category(), defaults.temperature());
        }
        return overrides.apply(new Sampling(temperature, defaults.topP(), defaults.maxTokens(), defaults.stop()));
    }
}
