package org.instruct4j.serve;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.serve.schedule.Job;
import org.instruct4j.serve.schedule.QueueFullException;
import org.instruct4j.serve.schedule.Ticket;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.TeacherException;

/**
 * A local model in place of an API endpoint: every generation and evaluation command can run without any API.
 * Calls are rendered with the model's {@link ModelPrompt} and run in the model's generation queue (continuous batching
 * with the other calls in flight); a reply cut by max_tokens is marked truncated, as the API's finish_reason "length"
 * is. A prompt too long for the model's context is rejected, like an API's 400, unless {@code truncatePrompts}: then it
 * keeps its last context - max_tokens - 1 tokens, as FastChat's model worker does ({@code fastchat/serve/inference.py}),
 * so that a small model still answers long conversations (MT-bench's second turns on a 512-position model).
 */
public final class LocalChatClient implements ChatClient {
    private final LocalModel model;
    private final ModelPrompt prompt;
    private final String modelName;
    private final long seed;
    private final boolean truncatePrompts;

    public LocalChatClient(LocalModel model, ModelPrompt prompt, String modelName, long seed) {
        this(model, prompt, modelName, seed, false);
    }

    public LocalChatClient(LocalModel model, ModelPrompt prompt, String modelName, long seed, boolean truncatePrompts) {
        this.model = model;
        this.prompt = prompt;
        this.modelName = modelName;
        this.seed = seed;
        this.truncatePrompts = truncatePrompts;
    }

    @Override
    public ChatReply complete(ChatCall call) throws TeacherException {
        int[] ids = fit(prompt.encode(prompt.prompt(call.messages().stream().map(ChatMessage::turn).toList())),
                call.sampling().maxTokens());
        Ticket ticket;
        try {
            ticket = model.queue().submit(List.of(Job.of(ids, config(call.sampling())))).get(0);
        } catch (BadInputException tooLong) {
            throw new TeacherException(TeacherException.Kind.REJECTED, tooLong.getMessage(), null, null);
        } catch (QueueFullException full) {
            throw new TeacherException(TeacherException.Kind.RETRYABLE, full.getMessage(), full.retryAfter(), null);
        }
        Generation generation;
        try {
            generation = ticket.result().get().generation();
        } catch (InterruptedException e) {
            ticket.cancel();
            Thread.currentThread().interrupt();
            throw new TeacherException(TeacherException.Kind.FATAL, "interrupted", null, e);
        } catch (ExecutionException e) {
            throw new TeacherException(TeacherException.Kind.FATAL, "the local model failed: " + e.getCause(), null, e.getCause());
        }
        return new ChatReply(generation.text().strip(), generation.finishReason() == Generation.FinishReason.LENGTH,
                modelName, ids.length, generation.tokenIds().length);
    }

    private int[] fit(int[] ids, int maxTokens) {
        int room = model.model().engine().maxPositions() - maxTokens - 1;
        if (!truncatePrompts || ids.length <= room || room < 1) {
            return ids;
        }
        return Arrays.copyOfRange(ids, ids.length - room, ids.length);
    }

    /**
     * The request's decoding settings; the seed makes sampling repeatable. A request's own seed is added to the
     * client's, so n requests with seeds 0..n-1 draw n samples.
     */
    GenerationConfig config(Sampling sampling) {
        return GenerationConfig.greedy(sampling.maxTokens())
                .withSampling(sampling.temperature(), sampling.topP(), 0, sampling.seed() == null ? seed : seed + sampling.seed())
                .withStopStrings(sampling.stop());
    }

    @Override
    public String endpointDescription() {
        return "local model " + modelName;
    }

    @Override
    public void close() {
        model.close();
    }
}
