package org.instruct4j.eval.rerank;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.answer.AnswerQuestionsTask;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * GPT-4-LLM's "R1" evaluation: the model under test answers every question {@code n} times (sample k carries the
 * sampling seed k, so a local model draws n different answers), the reward model scores the n answers and the best
 * one is the model's answer. Each sample is a FastChat answer appended to {@code O.samples.jsonl} as it arrives (a
 * restart asks nothing twice, and {@code rank} can rerank the file later); {@link #finish()} writes the best answer of
 * every question whose n samples are all there, in question order, atomically, with the reward of each sample in
 * its metadata.
 */
public final class BestOfNTask implements GenerationTask<BestOfNTask.Sample> {
    /** Sample {@code k} of {@code question}. */
    public record Sample(EvalQuestion question, int k) {}

    private final AnswerQuestionsTask answers;
    private final List<EvalQuestion> questions;
    private final int n;
    private final Reranker reranker;
    private final Path samples;
    private final Path output;

    public BestOfNTask(AnswerQuestionsTask answers, List<EvalQuestion> questions, int n, ResponseScorer scorer, Path samples,
                       Path output) {
        if (n < 1) {
            throw new BadInputException("--best-of must be at least 1, got " + n);
        }
        this.answers = answers;
        this.questions = List.copyOf(questions);
        this.n = n;
        this.reranker = new Reranker(scorer);
        this.samples = samples;
        this.output = output;
    }

    @Override
    public String name() {
        return answers.name() + ", best of " + n;
    }

    @Override
    public Stream<WorkItem<Sample>> items() {
        return answers.items().flatMap(item -> IntStream.range(0, n).mapToObj(k -> new WorkItem<>(sampleId(item.id(), k),
                new ChatCall(item.call().model(), item.call().messages(), item.call().sampling().withSeed(k)),
                new Sample(item.source(), k))));
    }

    static String sampleId(String questionKey, int k) {
        return questionKey + "#" + k;
    }

    @Override
    public ObjectNode toRow(WorkItem<Sample> item, ChatReply reply) {
        ObjectNode row = answers.toRow(new WorkItem<>(item.id(), item.call(), item.source().question()), reply);
        ((ObjectNode) row.get("metadata")).put("sample", item.source().k());
        return row;
    }

    @Override
    public void finish() {
        Map<String, ObjectNode> done = new HashMap<>();
        if (Files.exists(samples)) {
            Datasets.forEach(samples, row -> row.node(), row -> done.put(row.get("id").asText(), row));
        }
        StringBuilder lines = new StringBuilder();
        for (EvalQuestion question : questions) {
            List<ObjectNode> rows = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                ObjectNode row = done.get(sampleId(question.key(), k));
                if (row != null) {
                    rows.add(row);
                }
            }
            if (rows.size() == n) {
                ObjectNode best = reranker.best(question.instruction(), question.input(), rows,
                        rows.stream().map(r -> r.get("text").asText()).toList());
                best.put("id", question.key());
                lines.append(Json.line(best)).append('\n');
            }
        }
        AtomicFiles.writeString(output, lines.toString());
    }
}
