package org.instruct4j.teacher.tasks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.instruct4j.core.data.Instruction;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * GPT-4-LLM's comparison data: the teacher rates every model's response to an instruction from 1 to 10,
 * one call per response, with the rating prompt a maintainer published in the GPT-4-LLM repository
 * (issue #8). Each rating is appended to a working file ({@code O.ratings.jsonl}), so a restart never
 * asks twice; {@link #finish()} assembles comparison data v2 rows
 * {@code {id, user_input, responses_and_scores:[{response, score, source}]}} for every instruction
 * whose responses are all rated, in input order, and writes the output atomically.
 */
public final class RatingTask implements GenerationTask<RatingTask.Rated> {
    /** FastChat's reviewer settings (GPT-4-LLM did not publish its own): temperature 0.2, max_tokens 1024. */
    public static final Sampling DEFAULTS = new Sampling(0.2, 1.0, 1024, List.of());
    static final String SYSTEM_PROMPT = "You are a helpful and precise assistant for checking the quality of the answer.";
    static final String PROMPT = """
            ### Instruction
            %s

            ### Response
            %s

            ### End of Response

            We would like to request your feedback on the performance of the AI assistant's response to the \
            instruction above. Please rate the helpfulness, relevance, accuracy, and level of details of the \
            response. The assistant receives an overall score on a scale of 1 to 10, where a higher score \
            indicates better overall performance.
            Please first output a single line containing only one value indicating the score for the assistant.
            In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any \
            potential bias.""";
    /** The first line: a number, optionally "Score:" before it and "/10" or "out of 10" after it. */
    private static final Pattern FIRST_LINE_SCORE = Pattern.compile(
            "(?i)^\\s*(?:\\*\\*)?(?:overall\\s+)?(?:score|rating)?\\s*[:=]?\\s*(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*10|out of 10)?\\s*(?:\\*\\*)?\\.?\\s*$");

    /** A response to rate: which instruction, which response file. */
    public record Rated(Instruction instruction, int responseIndex, String response, String source) {}

    private final InstructionInput input;
    private final List<ResponseFile> responses;
    private final String model;
    private final Sampling sampling;
    private final Path ratingsFile;
    private final Path output;

    public RatingTask(InstructionInput input, List<ResponseFile> responses, String model, Sampling sampling,
            Path ratingsFile, Path output) {
        if (responses.isEmpty()) {
            throw new BadInputException("give at least one --responses file");
        }
        this.input = input;
        this.responses = List.copyOf(responses);
        this.model = model;
        this.sampling = sampling;
        this.ratingsFile = ratingsFile;
        this.output = output;
    }

    @Override
    public String name() {
        return "ratings";
    }

    @Override
    public Stream<WorkItem<Rated>> items() {
        return input.stream().flatMap(instruction -> IntStream.range(0, responses.size()).boxed()
                .flatMap(k -> responses.get(k).responseTo(instruction.id())
                        .map(text -> new Rated(instruction, k, text, responses.get(k).source())).stream())
                .map(rated -> new WorkItem<>(ratingId(instruction.id(), rated.responseIndex()), call(rated), rated)));
    }

    static String ratingId(String instructionId, int responseIndex) {
        return instructionId + "#" + responseIndex;
    }

    ChatCall call(Rated rated) {
        String instruction = rated.instruction().hasInput()
                ? rated.instruction().instruction() + "\n\n" + rated.instruction().input()
                : rated.instruction().instruction();
        return new ChatCall(model, List.of(ChatMessage.system(SYSTEM_PROMPT),
                ChatMessage.user(PROMPT.formatted(instruction, rated.response()))), sampling);
    }

    @Override
    public ObjectNode toRow(WorkItem<Rated> item, ChatReply reply) throws TeacherException {
        double score = parseScore(reply.content())
                .orElseThrow(() -> TeacherException.retryable("no 1-10 score on the review's first line: \""
                        + firstLine(reply.content()) + "\""));
        ObjectNode row = Json.object();
        row.put("id", item.id());
        row.put("instruction_id", item.source().instruction().id());
        row.put("response_index", item.source().responseIndex());
        row.put("source", item.source().source());
        row.put("score", score);
        row.put("review", reply.content());
        row.put("model", reply.model());
        row.put("truncated", reply.truncated());
        return row;
    }

    /** The score on the first line of a review, if it holds one in [1, 10]. */
    public static Optional<Double> parseScore(String review) {
        Matcher m = FIRST_LINE_SCORE.matcher(firstLine(review));
        if (!m.matches()) {
            return Optional.empty();
        }
        double score = Double.parseDouble(m.group(1));
        return score >= 1 && score <= 10 ? Optional.of(score) : Optional.empty();
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }

    @Override
    public void finish() {
        Map<String, ObjectNode> ratings = new HashMap<>();
        if (Files.exists(ratingsFile)) {
            Datasets.forEach(ratingsFile, row -> row.node(), row -> ratings.put(row.get("id").asText(), row));
        }
        StringBuilder lines = new StringBuilder();
        try (Stream<Instruction> instructions = input.stream()) {
            instructions.forEach(instruction -> assemble(instruction, ratings).ifPresent(row -> lines.append(Json.line(row)).append('\n')));
        }
        AtomicFiles.writeString(output, lines.toString());
    }

    private Optional<ObjectNode> assemble(Instruction instruction, Map<String, ObjectNode> ratings) {
        ObjectNode row = Json.object();
        row.put("id", instruction.id());
        row.put("user_input", AlpacaPrompt.render(instruction.instruction(), instruction.input()));
        ArrayNode scored = row.putArray("responses_and_scores");
        for (int k = 0; k < responses.size(); k++) {
            Optional<String> response = responses.get(k).responseTo(instruction.id());
            if (response.isEmpty()) {
                continue;
            }
            ObjectNode rating = ratings.get(ratingId(instruction.id(), k));
            if (rating == null) {
                return Optional.empty();
            }
            ObjectNode entry = scored.addObject();
            entry.put("response", response.get());
            entry.put("score", rating.get("score").asDouble());
            entry.put("source", responses.get(k).source());
        }
        return scored.isEmpty() ? Optional.empty() : Optional.of(row);
    }
}
