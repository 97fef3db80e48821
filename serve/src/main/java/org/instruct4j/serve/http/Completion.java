package org.instruct4j.serve.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.serve.LocalEngine;

/**
 * Runs one request on the engine and answers it, whole or as server-sent events. While streaming, the engine's
 * worker only queues the pieces; this request's own thread writes them, so a slow client never holds up the batch.
 */
final class Completion {
    private static final String DONE = "[DONE]";

    private final LocalEngine engine;
    private final String modelId;

    Completion(LocalEngine engine, String modelId) {
        this.engine = engine;
        this.modelId = modelId;
    }

    void answer(Context ctx, Shape shape, int[] promptIds, GenerationRequest request) throws IOException {
        String id = shape.newId();
        long created = System.currentTimeMillis() / 1000;
        if (!request.stream()) {
            Generation generation = await(submit(promptIds, request, null));
            JsonResponse.write(ctx, Json.line(shape.response(id, created, modelId, generation.text(),
                    finishReason(generation), Shape.usage(promptIds.length, generation.tokenIds().length))));
            return;
        }
        LinkedBlockingQueue<Optional<String>> pieces = new LinkedBlockingQueue<>();
        CompletableFuture<Generation> result = submit(promptIds, request, piece -> pieces.add(Optional.of(piece)));
        result.whenComplete((generation, error) -> pieces.add(Optional.empty()));
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        if (shape == Shape.CHAT) {
            event(out, Json.line(shape.chunk(id, created, modelId, "", null, true)));
        }
        try {
            for (Optional<String> piece = pieces.take(); piece.isPresent(); piece = pieces.take()) {
                event(out, Json.line(shape.chunk(id, created, modelId, piece.get(), null, false)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while streaming", e);
        }
        Generation generation = await(result);
        event(out, Json.line(shape.chunk(id, created, modelId, null, finishReason(generation), false)));
        if (request.includeUsage()) {
            event(out, Json.line(shape.usageChunk(id, created, modelId, Shape.usage(promptIds.length, generation.tokenIds().length))));
        }
        event(out, DONE);
        // Completes the response (the chunked body's terminator) before the request stops counting as in flight:
        // a graceful shutdown stops the server as soon as none is, and would cut the stream's end off.
        out.close();
    }

    private CompletableFuture<Generation> submit(int[] promptIds, GenerationRequest request, LocalEngine.Stream stream) {
        try {
            return engine.submit(promptIds, request.config(), stream);
        } catch (BadInputException tooLong) {
            throw new ApiException(400, "invalid_request_error", "messages", "context_length_exceeded", tooLong.getMessage());
        } catch (IllegalStateException closed) {
            throw new ApiException(503, "server_error", null, null, "the server is shutting down");
        }
    }

    private static Generation await(CompletableFuture<Generation> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "server_error", null, null, "interrupted");
        } catch (ExecutionException e) {
            throw new ApiException(500, "server_error", null, null, "generation failed: " + e.getCause().getMessage());
        }
    }

    private static String finishReason(Generation generation) {
        return generation.finishReason() == Generation.FinishReason.LENGTH ? "length" : "stop";
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
