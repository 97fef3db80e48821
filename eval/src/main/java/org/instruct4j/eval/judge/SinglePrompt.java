package org.instruct4j.eval.judge;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.teacher.client.Sampling;

/**
 * MT-bench's single-answer grading (FastChat {@code llm_judge}, prompt "single-v1" of {@code judge_prompts.jsonl}):
 * the judge explains, then rates the answer from 1 to 10 as "Rating: [[5]]". FastChat's {@code gen_judgment.py}
 * calls the judge at temperature 0 with max_tokens 2048.
 */
public final class SinglePrompt {
    public static final String NAME = "single-v1";
    public static final Sampling FASTCHAT_SAMPLING = new Sampling(0.0, 1.0, 2048, List.of());

    private final String systemPrompt;
    private final String template;

    private SinglePrompt(String systemPrompt, String template) {
        this.systemPrompt = systemPrompt;
        this.template = template;
    }

    /** single-v1 from the given judge_prompts.jsonl, or from FastChat's published one when {@code file} is null. */
    public static SinglePrompt read(Path file) {
        for (JsonRow row : ProtocolFiles.rows(file, "judge_prompts.jsonl")) {
            if (NAME.equals(row.optionalString("name", null))) {
                if (!"[[rating]]".equals(row.string("output_format"))) {
                    throw row.error("output_format", "expected \"[[rating]]\" for single-answer grading");
                }
                return new SinglePrompt(row.string("system_prompt"), row.string("prompt_template"));
            }
        }
        throw new BadInputException("no prompt named \"" + NAME + "\" in " + (file == null ? "the bundled judge_prompts.jsonl" : file));
    }

    public JudgePrompt prompt(String question, String answer, Sampling sampling) {
        return new JudgePrompt(NAME, systemPrompt, PythonFormat.format(template, Map.of("question", question, "answer", answer)), sampling);
    }
}
