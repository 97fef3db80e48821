package org.instruct4j.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import java.util.function.Function;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.train.config.Schema;
import org.instruct4j.train.config.Settings;

/**
 * What makes SFT, the reward model and DPO different, around the skeleton they share ({@link RecipeRunner}: plan,
 * load, step, evaluate, checkpoint, resume). {@code I} is what a batch holds (examples, comparison groups,
 * preference pairs), {@code E} what a held-out evaluation measures.
 */
public abstract class Recipe<I, E extends Evaluation> {
    private final String name;
    private final Schema schema;
    private final String rows;
    private final Function<JsonNode, E> evaluationReader;

    /**
     * {@code name}: sft, reward or dpo (names the settings file {@code NAME_config.yaml} and the progress bar);
     * {@code rows}: what one row of a batch is, for the log; {@code evaluationReader}: an evaluation read back from
     * a metrics.jsonl row or train_summary.json (its {@code eval_} fields).
     */
    protected Recipe(String name, Schema schema, String rows, Function<JsonNode, E> evaluationReader) {
        this.name = name;
        this.schema = schema;
        this.rows = rows;
        this.evaluationReader = evaluationReader;
    }

    /**
     * Reads and tokenizes the data (a bad row fails here, before anything is written) and builds what is trained on
     * {@code base}; only called when the run has steps left.
     */
    protected abstract RecipeSession<I, E> prepare(Settings settings, LoadedModel base, Consumer<String> log);

    /** Runs the recipe with {@code settings}; messages go to {@code log}, progress to stderr unless quiet. */
    public RunResult<E> train(Settings settings, Consumer<String> log) {
        return RecipeRunner.run(this, settings, log);
    }

    /** The same, logging to stderr unless the settings ask for quiet. */
    public RunResult<E> train(Settings settings) {
        return RecipeRunner.run(this, settings);
    }

    public String name() {
        return name;
    }

    /** The recipe's settings with its defaults. */
    public Schema schema() {
        return schema;
    }

    String rows() {
        return rows;
    }

    E evaluationFrom(JsonNode json) {
        return evaluationReader.apply(json);
    }
}
