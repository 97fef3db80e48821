package org.instruct4j.eval.judge;

import java.util.Map;
import org.instruct4j.teacher.client.Sampling;

/**
 * One prompt of FastChat llm_judge's {@code judge_prompts.jsonl}: its name (e.g. "single-v1", "pair-v2-multi-turn"),
 * type ("single" or "pairwise"), system prompt, template and the output format the judge is asked for
 * ("[[rating]]", "[[A]]" or "[[rating_a,rating_b]]").
 */
public record LlmJudgePrompt(String name, String type, String systemPrompt, String template, String outputFormat) {

    /** The template filled in with Python's {@code str.format} (arguments the template does not use are ignored, as in Python). */
    public JudgePrompt render(Map<String, String> arguments, Sampling sampling) {
        return new JudgePrompt(name, systemPrompt, PythonFormat.format(template, arguments), sampling);
    }
}
