package org.instruct4j.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.instruct4j.core.io.BadInputException;

/**
 * A seeded split of a run's items into training and held-out ones: a fraction of them, drawn at random, is held
 * out; both parts keep the items' file order. The same seed gives the same split, so a resumed run evaluates on
 * the same rows.
 */
public record HeldOut<T>(List<T> train, List<T> eval) {

    /** {@code row} gives an item's position in the data file, to keep that order. */
    public static <T> HeldOut<T> split(List<T> items, double fraction, long seed, ToLongFunction<T> row) {
        List<T> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(seed));
        int held = (int) Math.round(fraction * shuffled.size());
        if (fraction > 0 && (held == 0 || held == shuffled.size())) {
            throw new BadInputException("eval-fraction " + fraction + " of " + shuffled.size()
                    + " usable rows leaves no " + (held == 0 ? "held-out" : "training") + " row");
        }
        List<T> eval = new ArrayList<>(shuffled.subList(0, held));
        List<T> train = new ArrayList<>(shuffled.subList(held, shuffled.size()));
        eval.sort(Comparator.comparingLong(row));
        train.sort(Comparator.comparingLong(row));
        return new HeldOut<>(List.copyOf(train), List.copyOf(eval));
    }
}
