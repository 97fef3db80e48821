package org.instruct4j.eval.judge;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.ModelAnswer;
import org.instruct4j.teacher.client.Sampling;

/**
 * FastChat llm_judge's MT-bench protocol ({@code fastchat/llm_judge/common.py} and {@code gen_judgment.py}): every
 * question is judged on its first turn and, when it has exactly two turns, on the whole conversation; questions of the
 * categories that need a reference (math, reasoning, coding, arena-hard-200) are judged against the reference answer
 * with the math prompts. Single grading uses single-v1, single-math-v1 and their multi-turn variants; pairwise
 * judging pair-v2, pair-math-v1 and theirs. The judge is called at temperature 0 with max_tokens 2048.
 */
public final class LlmJudgeProtocol {
    /** Single-answer grading or pairwise comparison. */
    public enum Kind { SINGLE, PAIRWISE }

    /** FastChat's {@code NEED_REF_CATS}. */
    public static final Set<String> NEED_REF_CATS = Set.of("math", "reasoning", "coding", "arena-hard-200");
    /** What {@code run_judge_single} and {@code run_judge_pair} ask an OpenAI judge for. */
    public static final Sampling FASTCHAT_SAMPLING = new Sampling(0.0, 1.0, 2048, List.of());

    private final Kind kind;
    private final Map<String, LlmJudgePrompt> prompts;
    private final AnswerFile references;

    private LlmJudgeProtocol(Kind kind, Map<String, LlmJudgePrompt> prompts, AnswerFile references) {
        this.kind = kind;
        this.prompts = prompts;
        this.references = references;
    }

    /**
     * The protocol with the prompts of {@code judgePrompts} (FastChat's published file when null) and the reference
     * answers of {@code references} (may be null when no question needs one).
     */
    public static LlmJudgeProtocol read(Kind kind, Path judgePrompts, AnswerFile references) {
        Map<String, LlmJudgePrompt> byName = new HashMap<>();
        Map<String, JsonRow> rows = new HashMap<>();
        for (JsonRow row : ProtocolFiles.rows(judgePrompts, "judge_prompts.jsonl")) {
            LlmJudgePrompt prompt = new LlmJudgePrompt(row.string("name"), row.string("type"), row.string("system_prompt"),
                    row.string("prompt_template"), row.string("output_format"));
            byName.put(prompt.name(), prompt);
            rows.put(prompt.name(), row);
        }
        String type = kind == Kind.SINGLE ? "single" : "pairwise";
        Set<String> formats = kind == Kind.SINGLE ? Set.of("[[rating]]") : Set.of("[[A]]", "[[rating_a,rating_b]]");
        for (String name : names(kind)) {
            JsonRow row = rows.get(name);
            if (row == null) {
                throw new BadInputException("no judge prompt named \"" + name + "\" in "
                        + (judgePrompts == null ? "the bundled judge_prompts.jsonl" : judgePrompts));
            }
            if (!byName.get(name).type().equals(type)) {
                throw row.error("type", "expected \"" + type + "\" for " + name);
            }
            if (!formats.contains(byName.get(name).outputFormat())) {
                throw row.error("output_format", "expected one of " + formats + " for " + name);
            }
        }
        return new LlmJudgeProtocol(kind, byName, references);
    }

    private static List<String> names(Kind kind) {
        return kind == Kind.SINGLE
                ? List.of("single-v1", "single-math-v1", "single-v1-multi-turn", "single-math-v1-multi-turn")
                : List.of("pair-v2", "pair-math-v1", "pair-v2-multi-turn", "pair-math-v1-multi-turn");
    }

    /** The turns FastChat judges: the first of every question, and the second when the question has exactly two. */
    public static List<Integer> judgedTurns(EvalQuestion question) {
        return question.turns().size() == 2 ? List.of(1, 2) : List.of(1);
    }

    public static boolean needsReference(String category) {
        return NEED_REF_CATS.contains(category);
    }

    /** FastChat's {@code check_data}: every question of a reference category needs a reference answer, before any request. */
    public LlmJudgeProtocol requireReferences(List<EvalQuestion> questions) {
        for (EvalQuestion question : questions) {
            if (needsReference(question.category())) {
                if (references == null) {
                    throw new BadInputException("question " + question.key() + " is in category \"" + question.category()
                            + "\", which FastChat judges against a reference answer: give --reference-answers (e.g. "
                            + "FastChat's data/mt_bench/reference_answer/gpt-4.jsonl)");
                }
                judgedTurns(question).forEach(turn -> references.answerTo(question, turn));
            }
        }
        return this;
    }

    /** The prompt FastChat's {@code make_judge_single} or {@code make_judge_pairwise} picks for this category and turn. */
    public LlmJudgePrompt prompt(String category, int turn) {
        List<String> names = names(kind);
        return prompts.get(names.get((turn == 2 ? 2 : 0) + (needsReference(category) ? 1 : 0)));
    }

    /** {@code run_judge_single}'s request for one answer, on turn 1 or on the two-turn conversation. */
    public JudgePrompt single(EvalQuestion question, int turn, ModelAnswer answer, Sampling sampling) {
        Map<String, String> arguments = referenceArguments(question, turn);
        List<String> questions = question.turns();
        if (turn == 2) {
            arguments.put("question_1", questions.get(0));
            arguments.put("question_2", questions.get(1));
            arguments.put("answer_1", answer.turns().get(0));
            arguments.put("answer_2", answer.turns().get(1));
        } else {
            arguments.put("question", questions.get(0));
            arguments.put("answer", answer.text());
        }
        return prompt(question.category(), turn).render(arguments, sampling);
    }

    /** {@code run_judge_pair}'s request with {@code a} shown as Assistant A. */
    public JudgePrompt pair(EvalQuestion question, int turn, ModelAnswer a, ModelAnswer b, Sampling sampling) {
        Map<String, String> arguments = referenceArguments(question, turn);
        List<String> questions = question.turns();
        if (turn == 2) {
            arguments.put("question_1", questions.get(0));
            arguments.put("question_2", questions.get(1));
            arguments.put("answer_a_1", a.turns().get(0));
            arguments.put("answer_b_1", b.turns().get(0));
            arguments.put("answer_a_2", a.turns().get(1));
            arguments.put("answer_b_2", b.turns().get(1));
        } else {
            arguments.put("question", questions.get(0));
            arguments.put("answer_a", a.text());
            arguments.put("answer_b", b.text());
        }
        return prompt(question.category(), turn).render(arguments, sampling);
    }

    private Map<String, String> referenceArguments(EvalQuestion question, int turn) {
        Map<String, String> arguments = new HashMap<>();
        if (needsReference(question.category())) {
            ModelAnswer reference = references.answerTo(question, turn);
            arguments.put("ref_answer_1", reference.turns().get(0));
            if (turn == 2) {
                arguments.put("ref_answer_2", reference.turns().get(1));
            }
        }
        return arguments;
    }
}
