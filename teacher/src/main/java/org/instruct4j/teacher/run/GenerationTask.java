package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.TeacherException;

/**
 * What a generation command asks the teacher: the requests to make and how a reply becomes an output
 * row. {@link JobRunner} does the rest (resume, limits, retries, progress, failures, usage), so every
 * command behaves the same way.
 *
 * @param <S> what each request is made from (an instruction, a response to rate, ...)
 */
public interface GenerationTask<S> {
    /** Short name for the progress bar and metadata, e.g. "answers". */
    String name();

    /**
     * Every request of the job, in input order. Called more than once (to count, then to run), so it
     * re-reads its input each time; the input must already have been validated.
     */
    Stream<WorkItem<S>> items();

    /**
     * The output row for a reply (the runner adds the item's "id"). Throws a retryable
     * {@link TeacherException} when the reply is unusable (for example a rating without a score), so it
     * is asked again and, if it never works, recorded as a failure rather than guessed.
     */
    ObjectNode toRow(WorkItem<S> item, ChatReply reply) throws TeacherException;

    /** Runs after the job (also after a resumed one), e.g. to assemble rows into the final file. */
    default void finish() {}
}
