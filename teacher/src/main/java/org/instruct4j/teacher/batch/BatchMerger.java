package org.instruct4j.teacher.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.instruct4j.core.io.JsonlAppender;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.run.Failures;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * Turns batch results into output rows and failure records, exactly as the live runner would for the
 * same replies. There is no second attempt inside a batch: a reply the task cannot use is a recorded
 * failure, which {@code --retry-failed} submits again. Merging the same result twice writes nothing the
 * second time, so a download can be repeated after a crash.
 */
final class BatchMerger<S> {
    private final GenerationTask<S> task;
    private final JsonlAppender out;
    private final JsonlAppender failures;
    private final UsageMeter usage;
    private long succeeded;
    private long failed;
    private long truncated;

    BatchMerger(GenerationTask<S> task, JsonlAppender out, JsonlAppender failures, UsageMeter usage) {
        this.task = task;
        this.out = out;
        this.failures = failures;
        this.usage = usage;
    }

    /** Merges one result line of batch {@code batchId}, whose requests were made from {@code items}. */
    void merge(ResultLine result, Map<String, WorkItem<S>> items, String batchId) {
        switch (result) {
            case ResultLine.Answered answered -> {
                WorkItem<S> item = items.get(answered.customId());
                if (item != null && !settled(item.id())) {
                    answer(item, answered, batchId);
                }
            }
            case ResultLine.Failed failure -> {
                if (items.containsKey(failure.customId())) {
                    fail(failure.customId(), failure.reason(), batchId);
                }
            }
            case ResultLine.NotRun notRun -> { }
            case ResultLine.Unreadable unreadable -> { }
        }
    }

    private void answer(WorkItem<S> item, ResultLine.Answered answered, String batchId) {
        ChatReply reply;
        ObjectNode row;
        try {
            reply = OpenAiChatClient.toReply(answered.completion(), item.call().model());
        } catch (TeacherException unusable) {
            fail(item.id(), unusable.getMessage(), batchId);
            return;
        }
        try {
            row = task.toRow(item, reply);
        } catch (TeacherException rejected) {
            if (fail(item.id(), rejected.getMessage(), batchId)) {
                record(reply);
            }
            return;
        }
        row.put("id", item.id());
        if (out.append(row)) {
            record(reply);
            succeeded++;
            if (reply.truncated()) {
                truncated++;
            }
        }
    }

    /** Records a failure unless the id already has a row or a failure; returns whether it was written. */
    boolean fail(String id, String reason, String batchId) {
        if (settled(id)) {
            return false;
        }
        ObjectNode row = Failures.row(id, reason, 1);
        if (batchId != null) {
            row.put("batch_id", batchId);
        }
        boolean written = failures.append(row);
        if (written) {
            failed++;
        }
        return written;
    }

    /** Whether the id has its row or its failure record. */
    boolean settled(String id) {
        return out.contains(id) || failures.contains(id);
    }

    private void record(ChatReply reply) {
        usage.record(reply.model(), reply.promptTokens(), reply.completionTokens());
    }

    long succeeded() {
        return succeeded;
    }

    long failed() {
        return failed;
    }

    long truncated() {
        return truncated;
    }
}
