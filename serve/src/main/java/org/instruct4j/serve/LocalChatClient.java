package org.instruct4j.serve;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.serve.schedule.Job;
import org.instruct4j.serve.schedule.QueueFullException;
import org.instruct4j.serve.schedule.Ticket;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatClient;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.client.TeacherException;

/**
 * A local model in place of an API endpoint: every generation and evaluation command can run without any API.
 * Calls are rendered with a {@link PromptFormat} and run in the model's generation queue (continuous batching with
 * the other calls in flight); a reply cut by max_tokens is marked truncated, as the API's finish_reason "length" is.
 */
public final class LocalChatClient implements ChatClient {
    private final LocalModel model;
    private final PromptFormat format;
    private final String modelName;
    private final long seed;

    public LocalChatClient(LocalModel model, PromptFormat format, String modelName, long seed) {
        this.model = model;
        this.format = format;
        this.modelName = modelName;
        this.seed = seed;
    }

    @Override
    public ChatReply complete(ChatCall call) throws TeacherException {
        int[] prompt = model.tokenizer().encode(format.render(call.messages()), true);
        Ticket ticket;
        try {
            ticket = model.queue().submit(List.of(Job.of(prompt, config(call.sampling())))).get(0);
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
                modelName, prompt.length, generation.tokenIds().length);
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
