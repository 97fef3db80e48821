package org.instruct4j.teacher.client;

/**
 * Something that answers chat calls: an OpenAI-compatible endpoint, or a local model. One attempt per
 * call; retries and rate limits are the caller's ({@link org.instruct4j.teacher.run.JobRunner}).
 * Implementations are thread-safe.
 */
public interface ChatClient extends AutoCloseable {
    ChatReply complete(ChatCall call) throws TeacherException;

    /** Where the calls go, for logs and metadata (never includes credentials). */
    String endpointDescription();

    @Override
    default void close() {}
}
