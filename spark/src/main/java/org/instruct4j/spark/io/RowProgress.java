package org.instruct4j.spark.io;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.instruct4j.core.progress.Progress;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The driver's progress bar for a job: the rows the partitions have done so far. Running tasks
 * report their count with every executor heartbeat ({@code spark.executor.heartbeatInterval}); a task that ends
 * successfully adds its final count, one that fails drops its own (its rows are discarded and asked again).
 */
public final class RowProgress extends SparkListener implements AutoCloseable {
    private final SparkContext context;
    private final long accumulatorId;
    private final Progress bar;
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private long finished;

    private RowProgress(SparkContext context, LongAccumulator produced, Progress bar) {
        this.context = context;
        this.accumulatorId = produced.id();
        this.bar = bar;
    }

    public static RowProgress start(SparkContext context, LongAccumulator produced, String task, long total, boolean quiet) {
        RowProgress progress = new RowProgress(context, produced, Progress.create(task, total, "row", quiet));
        if (!quiet) {
            context.addSparkListener(progress);
        }
        return progress;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                : CollectionConverters.asJava(update.accumUpdates())) {
            count(task._4()).ifPresent(value -> running.put((Long) task._1(), value));
        }
        refresh();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        running.remove(end.taskInfo().taskId());
        if (Success$.MODULE$.equals(end.reason())) {
            OptionalLong value = count(end.taskInfo().accumulables());
            synchronized (this) {
                finished += value.orElse(0);
            }
        }
        refresh();
    }

    private OptionalLong count(scala.collection.Seq<AccumulableInfo> accumulables) {
        for (AccumulableInfo info : CollectionConverters.asJava(accumulables)) {
            if (info.id() == accumulatorId && info.update().isDefined()) {
                return OptionalLong.of(((Number) info.update().get()).longValue());
            }
        }
        return OptionalLong.empty();
    }

    private synchronized void refresh() {
        bar.stepTo(finished + running.values().stream().mapToLong(Long::longValue).sum());
    }

    @Override
    public void close() {
        context.removeSparkListener(this);
        bar.close();
    }
}
