package org.instruct4j.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.ModelAnswer;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * MT-bench's pairwise judging ({@code play_a_match_pair}): for every pair of models (all pairs when more than two
 * answer files are given, as {@code --mode pairwise-all}), question and judged turn, the judge compares the answers
 * twice, once with model 1's as Assistant A (game 1) and once with model 2's (game 2), with the
 * {@link LlmJudgeProtocol}'s prompt (pair-v2, pair-math-v1 against the reference, and their multi-turn variants).
 * Each game is appended to {@code O.games.jsonl} as it arrives (a restart asks nothing twice); {@link #finish()} writes
 * the output, atomically, with one FastChat judgment per match whose two games are done: {@code {question_id, model_1,
 * model_2, g1_winner, g2_winner, judge, g1_user_prompt, g1_judgment, g2_user_prompt, g2_judgment, turn, tstamp}} (plus the
 * category), winners being "model_1", "model_2", "tie" or "error". FastChat's {@code show_result} counts a match whose
 * games disagree as a tie.
 */
public final class PairVerdictTask implements GenerationTask<PairVerdictTask.Game> {
    /** One game of a match: {@code first} is shown as Assistant A; game 1 shows model 1 first, game 2 model 2. */
    public record Game(EvalQuestion question, int turn, ModelAnswer model1, ModelAnswer model2, int game) {
        ModelAnswer first() {
            return game == 1 ? model1 : model2;
        }

        ModelAnswer second() {
            return game == 1 ? model2 : model1;
        }

        String matchId() {
            return model1.modelId() + "/" + model2.modelId() + "/" + question.key() + "/" + turn;
        }
    }

    private final List<EvalQuestion> questions;
    private final List<AnswerFile> answers;
    private final LlmJudgeProtocol protocol;
    private final String judgeModel;
    private final Sampling sampling;
    private final Path games;
    private final Path output;

    public PairVerdictTask(List<EvalQuestion> questions, List<AnswerFile> answers, LlmJudgeProtocol protocol, String judgeModel,
            Sampling sampling, Path games, Path output) {
        if (answers.size() < 2) {
            throw new BadInputException("pairwise judging needs at least two --answers files, got " + answers.size());
        }
        for (AnswerFile file : answers) {
            questions.forEach(q -> file.answerTo(q, LlmJudgeProtocol.judgedTurns(q).size()));
        }
        if (answers.stream().map(AnswerFile::modelId).distinct().count() < answers.size()) {
            throw new BadInputException("two --answers files hold the same model's answers; pairwise judging compares different models");
        }
        this.questions = List.copyOf(questions);
        this.answers = List.copyOf(answers);
        this.protocol = protocol.requireReferences(questions);
        this.judgeModel = judgeModel;
        this.sampling = sampling;
        this.games = games;
        this.output = output;
    }

    @Override
    public String name() {
        return "pairwise judging";
    }

    @Override
    public Stream<WorkItem<Game>> items() {
        return matches().flatMap(match -> Stream.of(1, 2).map(g -> {
            Game game = new Game(match.question(), match.turn(), match.model1(), match.model2(), g);
            JudgePrompt prompt = protocol.pair(game.question(), game.turn(), game.first(), game.second(), sampling);
            return new WorkItem<>(game.matchId() + "/g" + g, prompt.call(judgeModel), game);
        }));
    }

    /** Every match in FastChat's order of pairs, then questions, then turns; each as its game 1. */
    private Stream<Game> matches() {
        List<Game> matches = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            for (int j = i + 1; j < answers.size(); j++) {
                for (EvalQuestion q : questions) {
                    for (int turn : LlmJudgeProtocol.judgedTurns(q)) {
                        matches.add(new Game(q, turn, answers.get(i).answerTo(q), answers.get(j).answerTo(q), 1));
                    }
                }
            }
        }
        return matches.stream();
    }

    @Override
    public ObjectNode toRow(WorkItem<Game> item, ChatReply reply) {
        Game game = item.source();
        LlmJudgePrompt prompt = protocol.prompt(game.question().category(), game.turn());
        String verdict = ScoreParser.verdict(reply.content(), prompt.outputFormat());
        ObjectNode row = Json.object();
        row.put("match", game.matchId());
        row.put("game", game.game());
        row.put("winner", switch (verdict) {
            case "A" -> game.game() == 1 ? "model_1" : "model_2";
            case "B" -> game.game() == 1 ? "model_2" : "model_1";
            default -> verdict;
        });
        row.putArray("judge").add(judgeModel).add(prompt.name());
        row.put("user_prompt", item.call().messages().getLast().content());
        row.put("judgment", reply.content());
        row.put("tstamp", System.currentTimeMillis() / 1000.0);
        return row;
    }

    @Override
    public void finish() {
        Map<String, JsonNode> played = new HashMap<>();
        if (Files.exists(games)) {
            Datasets.forEach(games, row -> row.node(), row -> played.put(row.get("id").asText(), row));
        }
        StringBuilder lines = new StringBuilder();
        matches().forEach(match -> {
            JsonNode g1 = played.get(match.matchId() + "/g1");
            JsonNode g2 = played.get(match.matchId() + "/g2");
            if (g1 != null && g2 != null) {
                lines.append(Json.line(judgment(match, g1, g2))).append('\n');
            }
        });
        AtomicFiles.writeString(output, lines.toString());
    }

    private ObjectNode judgment(Game match, JsonNode g1, JsonNode g2) {
        ObjectNode row = Json.object();
        row.set("question_id", match.question().questionId());
        row.put("model_1", match.model1().modelId());
        row.put("model_2", match.model2().modelId());
        row.put("g1_winner", g1.get("winner").asText());
        row.put("g2_winner", g2.get("winner").asText());
        row.set("judge", g1.get("judge"));
        row.put("g1_user_prompt", g1.get("user_prompt").asText());
        row.put("g1_judgment", g1.get("judgment").asText());
        row.put("g2_user_prompt", g2.get("user_prompt").asText());
        row.put("g2_judgment", g2.get("judgment").asText());
        row.put("turn", match.turn());
        row.put("tstamp", Math.max(g1.get("tstamp").asDouble(), g2.get("tstamp").asDouble()));
        row.put("category", match.question().category());
        return row;
    }
}
