package org.instruct4j.eval.judge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.teacher.client.Sampling;

/**
 * The Vicuna-80 pairwise judge protocol GPT-4-LLM used (FastChat {@code fastchat/eval/eval_gpt_review.py} with
 * {@code table/prompt.jsonl} and {@code table/reviewer.jsonl}). As FastChat's {@code gen_prompt}: the reviewer is
 * the first whose category equals the question's, else the first one (general); its {@code prompt_id} selects the
 * prompt (line {@code prompt_id}); the template is filled with the question, both answers and the prompt's defaults;
 * the reviewer's metadata gives temperature (0.2) and max_tokens (1024).
 */
public final class VicunaProtocol {
    private record Prompt(int promptId, String systemPrompt, String template, Map<String, String> defaults) {}

    private record Reviewer(String reviewerId, int promptId, String category, double temperature, int maxTokens) {}

    private final List<Prompt> prompts;
    private final List<Reviewer> reviewers;

    private VicunaProtocol(List<Prompt> prompts, List<Reviewer> reviewers) {
        this.prompts = prompts;
        this.reviewers = reviewers;
    }

    /** The protocol as published by FastChat (bundled verbatim). */
    public static VicunaProtocol fastChat() {
        return read(null, null);
    }

    /** The protocol from the given prompt and reviewer files; a null file means FastChat's published one. */
    public static VicunaProtocol read(Path promptFile, Path reviewerFile) {
        List<Prompt> prompts = new ArrayList<>();
        for (JsonRow row : ProtocolFiles.rows(promptFile, "vicuna_prompt.jsonl")) {
            int id = (int) row.integer("prompt_id");
            if (id != prompts.size() + 1) {
                throw row.error("prompt_id", "expected " + (prompts.size() + 1)
                        + ": FastChat finds prompt n on line n of the prompt file");
            }
            Map<String, String> defaults = new HashMap<>();
            JsonRow defaultsRow = ProtocolFiles.object(row, "defaults");
            defaultsRow.node().fieldNames().forEachRemaining(name -> defaults.put(name, defaultsRow.string(name)));
            prompts.add(new Prompt(id, row.string("system_prompt"), row.string("prompt_template"), defaults));
        }
        List<Reviewer> reviewers = new ArrayList<>();
        for (JsonRow row : ProtocolFiles.rows(reviewerFile, "vicuna_reviewer.jsonl")) {
            int promptId = (int) row.integer("prompt_id");
            if (promptId < 1 || promptId > prompts.size()) {
                throw row.error("prompt_id", "no prompt " + promptId + " in the prompt file (" + prompts.size() + " prompts)");
            }
            JsonRow metadata = ProtocolFiles.object(row, "metadata");
            reviewers.add(new Reviewer(row.string("reviewer_id"), promptId, row.string("category"),
                    metadata.number("temperature"), (int) metadata.integer("max_tokens")));
        }
        if (reviewers.isEmpty()) {
            throw new BadInputException("the reviewer file lists no reviewer");
        }
        return new VicunaProtocol(prompts, reviewers);
    }

    /** The sampling of the general reviewer (the first one), for the run's metadata. */
    public Sampling generalSampling() {
        Reviewer general = reviewers.get(0);
        return new Sampling(general.temperature(), 1.0, general.maxTokens(), List.of());
    }

    /** The judge request for a question of {@code category}, answer 1 shown first. */
    public JudgePrompt prompt(String category, String question, String answer1, String answer2) {
        Reviewer reviewer = reviewers.stream().filter(r -> r.category().equals(category)).findFirst().orElse(reviewers.get(0));
        Prompt prompt = prompts.get(reviewer.promptId() - 1);
        Map<String, String> values = new HashMap<>(prompt.defaults());
        values.put("question", question);
        values.put("answer_1", answer1);
        values.put("answer_2", answer2);
        return new JudgePrompt(reviewer.reviewerId(), prompt.systemPrompt(), PythonFormat.format(prompt.template(), values),
                new Sampling(reviewer.temperature(), 1.0, reviewer.maxTokens(), List.of()));
    }
}
