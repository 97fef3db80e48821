package org.instruct4j.metrics.rouge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * ROUGE scores equal to Google's rouge-score ({@code rouge_scorer.RougeScorer(types, use_stemmer)}) with the
 * {@link RougeTokenizer#DEFAULT} tokenizer, bit for bit. Immutable and thread-safe; the batch methods score rows
 * in parallel on all cores.
 *
 * <pre>{@code
 * RougeScorer scorer = RougeScorer.builder().types(RougeType.ROUGE_L).stemming(true).build();
 * double f = scorer.score(reference, answer).get(RougeType.ROUGE_L).fmeasure();
 * }</pre>
 */
public final class RougeScorer {
    private final Set<RougeType> types;
    private final boolean stemming;
    private final RougeTokenizer tokenizer;

    private RougeScorer(Builder builder) {
        this.types = Collections.unmodifiableSet(EnumSet.copyOf(builder.types));
        this.stemming = builder.stemming;
        this.tokenizer = builder.tokenizer;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<RougeType> types() {
        return types;
    }

    public boolean stemming() {
        return stemming;
    }

    public RougeTokenizer tokenizer() {
        return tokenizer;
    }

    /** The scores of {@code prediction} against the reference {@code target}, one per configured type. */
    public Map<RougeType, RougeScore> score(String target, String prediction) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(prediction, "prediction");
        Map<RougeType, RougeScore> scores = new EnumMap<>(RougeType.class);
        TokenIds ids = new TokenIds();
        int[] targetIds = null;
        int[] predictionIds = null;
        for (RougeType type : types) {
            if (type != RougeType.ROUGE_LSUM && targetIds == null) {
                targetIds = tokenizer.ids(target, stemming, ids);
                predictionIds = tokenizer.ids(prediction, stemming, ids);
            }
            scores.put(type, switch (type) {
                case ROUGE_1 -> NgramOverlap.score(targetIds, predictionIds, 1, ids.size());
                case ROUGE_2 -> NgramOverlap.score(targetIds, predictionIds, 2, ids.size());
                case ROUGE_L -> lcsScore(targetIds, predictionIds, ids.size());
                case ROUGE_LSUM -> summaryScore(target, prediction, ids);
            });
        }
        return Collections.unmodifiableMap(scores);
    }

    /** {@link #score} for every row, computed in parallel; row i of the result belongs to row i of the input. */
    public List<Map<RougeType, RougeScore>> scoreAll(List<String> targets, List<String> predictions) {
        checkRows(targets, predictions);
        return IntStream.range(0, targets.size()).parallel()
                .mapToObj(i -> score(targets.get(i), predictions.get(i)))
                .toList();
    }

    /**
     * The F-measure of one configured type for every row, computed in parallel: the fast path for
     * corpus-level evaluation, since it builds no maps.
     */
    public double[] fmeasures(RougeType type, List<String> targets, List<String> predictions) {
        if (!types.contains(type)) {
            throw new IllegalArgumentException("this scorer computes " + types + ", not " + type);
        }
        checkRows(targets, predictions);
        RougeScorer single = types.size() == 1
                ? this
                : builder().types(type).stemming(stemming).tokenizer(tokenizer).build();
        double[] result = new double[targets.size()];
        IntStream.range(0, result.length).parallel()
                .forEach(i -> result[i] = single.score(targets.get(i), predictions.get(i)).get(type).fmeasure());
        return result;
    }

    /** rouge-score's {@code _score_lcs}: precision = lcs / |prediction|, recall = lcs / |target|. */
    static RougeScore lcsScore(int[] target, int[] prediction, int alphabetSize) {
        if (target.length == 0 || prediction.length == 0) {
            return RougeScore.ZERO;
        }
        int lcs = BitParallelLcs.length(target, prediction, alphabetSize);
        return RougeScore.of((double) lcs / prediction.length, (double) lcs / target.length);
    }

    private RougeScore summaryScore(String target, String prediction, TokenIds ids) {
        List<int[]> targetSentences = sentences(target, ids);
        List<int[]> predictionSentences = sentences(prediction, ids);
        return SummaryLevelLcs.score(targetSentences, predictionSentences, ids.size());
    }

    /** rouge-score's {@code get_sents}: split on '\n' only, dropping empty strings (not empty token lists). */
    private List<int[]> sentences(String text, TokenIds ids) {
        List<int[]> sentences = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                sentences.add(tokenizer.ids(line, stemming, ids));
            }
        }
        return sentences;
    }

    private static void checkRows(List<String> targets, List<String> predictions) {
        if (targets.size() != predictions.size()) {
            throw new IllegalArgumentException("targets has " + targets.size() + " rows but predictions has "
                    + predictions.size());
        }
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i) == null) {
                throw new NullPointerException("targets[" + i + "] is null");
            }
            if (predictions.get(i) == null) {
                throw new NullPointerException("predictions[" + i + "] is null");
            }
        }
    }

    /** Defaults: rouge1, rouge2, rougeL; no stemming; rouge-score's tokenizer. */
    public static final class Builder {
        private Set<RougeType> types = EnumSet.of(RougeType.ROUGE_1, RougeType.ROUGE_2, RougeType.ROUGE_L);
        private boolean stemming;
        private RougeTokenizer tokenizer = RougeTokenizer.DEFAULT;

        private Builder() {}

        public Builder types(RougeType... types) {
            if (types.length == 0) {
                throw new IllegalArgumentException("at least one ROUGE type is needed");
            }
            this.types = EnumSet.of(types[0], types);
            return this;
        }

        /** Porter stemming of tokens longer than 3 characters, as rouge-score's {@code use_stemmer}. */
        public Builder stemming(boolean stemming) {
            this.stemming = stemming;
            return this;
        }

        public Builder tokenizer(RougeTokenizer tokenizer) {
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
            return this;
        }

        public RougeScorer build() {
            return new RougeScorer(this);
        }
    }
}
