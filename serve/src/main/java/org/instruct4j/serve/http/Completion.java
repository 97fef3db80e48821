package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.serve.schedule.GenerationQueue;
import org.instruct4j.serve.schedule.JobResult;
import org.instruct4j.serve.schedule.TokenLogprobs;

/**
 * Runs one request's choices in the generation queue and answers them, whole or as server-sent events. The
 * scheduler only queues each choice's progress; this request's own thread writes it, so a slow client never holds
 * up the batch, and notices a client that has gone, whose choices it then cancels.
 */
final class Completion {
    private static final String DONE = "[DONE]";

    private final GenerationQueue queue;
    private final LogprobsJson logprobs;
    private final ServeMetrics metrics;
    private final String modelId;

    Completion(GenerationQueue queue, LogprobsJson logprobs, ServeMetrics metrics, String modelId) {
        this.queue = queue;
        this.logprobs = logprobs;
        this.metrics = metrics;
        this.modelId = modelId;
    }

    void answer(Context ctx, Shape shape, int[] prompt, GenerationRequest request) throws IOException {
        Choices choices = Choices.submit(queue, prompt, request, metrics);
        ClientLink client = ClientLink.of(ctx);
        Reply reply = new Reply(shape, shape.newId(), System.currentTimeMillis() / 1000);
        try {
            if (request.stream()) {
                stream(ctx, reply, choices, client, prompt.length, request.includeUsage());
            } else {
                whole(ctx, reply, choices, client, prompt.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            choices.cancel();
            throw new ApiException(503, "server_error", null, null, "interrupted");
        }
    }

    /** The id and creation time every chunk of one answer carries. */
    private record Reply(Shape shape, String id, long created) {}

    private void whole(Context ctx, Reply reply, Choices choices, ClientLink client, int promptLength)
            throws IOException, InterruptedException {
        while (!choices.allDone()) {
            if (choices.next(client) == null) {
                return;
            }
        }
        List<ObjectNode> answers = new ArrayList<>();
        long completionTokens = 0;
        for (int i = 0; i < choices.count(); i++) {
            JobResult result = choices.result(i);
            completionTokens += result.generation().tokenIds().length;
            answers.add(reply.shape().choice(i, result.generation().text(), finishReason(result),
                    result.logprobs() == null ? null : logprobs.of(reply.shape(), result.logprobs(), 0)));
        }
        JsonResponse.write(ctx, Json.line(reply.shape().response(reply.id(), reply.created(), modelId, answers,
                Shape.usage(promptLength, completionTokens))));
    }

    private void stream(Context ctx, Reply reply, Choices choices, ClientLink client, int promptLength, boolean includeUsage)
            throws IOException, InterruptedException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        Shape shape = reply.shape();
        int[] textOffsets = new int[choices.count()];
        long completionTokens = 0;
        try {
            if (shape == Shape.CHAT) {
                for (int i = 0; i < choices.count(); i++) {
                    event(out, shape.chunk(reply.id(), reply.created(), modelId, i, "", null, null, true));
                }
                out.flush();
            }
            while (!choices.allDone()) {
                List<Choices.Event> events = choices.next(client);
                if (events == null) {
                    return;
                }
                for (Choices.Event event : events) {
                    switch (event) {
                        case Choices.Piece piece -> {
                            if (piece.text().isEmpty() && piece.logprobs() == null) {
                                continue;
                            }
                            ObjectNode pieceLogprobs = null;
                            if (piece.logprobs() != null) {
                                List<TokenLogprobs> one = List.of(piece.logprobs());
                                pieceLogprobs = logprobs.of(shape, one, textOffsets[piece.choice()]);
                                textOffsets[piece.choice()] += logprobs.length(one);
                            }
                            event(out, shape.chunk(reply.id(), reply.created(), modelId, piece.choice(), piece.text(),
                                    pieceLogprobs, null, false));
                        }
                        case Choices.Done done -> {
                            JobResult result = choices.result(done.choice());
                            completionTokens += result.generation().tokenIds().length;
                            event(out, shape.chunk(reply.id(), reply.created(), modelId, done.choice(), null, null,
                                    finishReason(result), false));
                        }
                    }
                }
                out.flush();
            }
            if (includeUsage) {
                event(out, shape.usageChunk(reply.id(), reply.created(), modelId, Shape.usage(promptLength, completionTokens)));
            }
            event(out, DONE);
            // Completes the response (the chunked body's terminator) before the request stops counting as in flight:
            // a graceful shutdown stops the server as soon as none is, and would cut the stream's end off.
            out.close();
        } catch (IOException lost) {
            client.lost();
            choices.cancel();
        } catch (ApiException failed) {
            event(out, Json.line(failed.body()));
            out.close();
        }
    }

    private static String finishReason(JobResult result) {
        return result.generation().finishReason() == Generation.FinishReason.LENGTH ? "length" : "stop";
    }

    private static void event(OutputStream out, ObjectNode data) throws IOException {
        event(out, Json.line(data));
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
