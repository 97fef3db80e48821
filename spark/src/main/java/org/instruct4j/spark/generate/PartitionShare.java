package org.instruct4j.spark.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.util.LongAccumulator;
import org.instruct4j.teacher.client.ChatReply;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.WorkItem;

/**
 * A partition's share of a task: only the requests the driver found still to do, each produced row counted for the
 * driver's progress bar. {@code finish()} does nothing here: a task that assembles its output does it once, on the
 * driver, over every partition's rows.
 */
final class PartitionShare<S> implements GenerationTask<S> {
    private final GenerationTask<S> task;
    private final Set<String> pending;
    private final LongAccumulator produced;

    PartitionShare(GenerationTask<S> task, Set<String> pending, LongAccumulator produced) {
        this.task = task;
        this.pending = pending;
        this.produced = produced;
    }

    @Override
    public String name() {
        return task.name();
    }

    @Override
    public Stream<WorkItem<S>> items() {
        return task.items().filter(item -> pending.contains(item.id()));
    }

    @Override
    public ObjectNode toRow(WorkItem<S> item, ChatReply reply) throws TeacherException {
        ObjectNode row = task.toRow(item, reply);
        produced.add(1);
        return row;
    }
}
