package org.instruct4j.cli.eval;

import org.instruct4j.core.io.BadInputException;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import picocli.CommandLine.Option;

/** How {@code eval rouge} and {@code spark rouge} score: the two fields, stemming, tokenizer, buckets, model name. */
public final class RougeOptions {
    @Option(names = "--prediction-field", defaultValue = "output", paramLabel = "NAME", description = "Field of the prediction (default: ${DEFAULT-VALUE}).")
    String predictionField;

    @Option(names = "--reference-field", defaultValue = "label", paramLabel = "NAME", description = "Field of the reference (default: ${DEFAULT-VALUE}).")
    String referenceField;

    @Option(names = "--by-length", description = "Also report the reference-length buckets 0-2, 3-5, 6-10 and >10 words.")
    boolean byLength;

    @Option(names = "--stemmer", description = "Porter-stem tokens longer than 3 characters (rouge-score's use_stemmer=True).")
    boolean stemmer;

    @Option(names = "--tokenizer", defaultValue = "default", paramLabel = "default|cjk",
            description = "default: rouge-score's (a-z0-9 only; Chinese scores 0); cjk: any language, CJK characters as words.")
    String tokenizer;

    @Option(names = "--model-name", paramLabel = "NAME", description = "The Model field of the result (default: the rows' model field, else the file name).")
    String modelName;

    public String predictionField() {
        return predictionField;
    }

    public String referenceField() {
        return referenceField;
    }

    public boolean byLength() {
        return byLength;
    }

    public boolean stemmer() {
        return stemmer;
    }

    /** The tokenizer's command-line name (metrics' {@code RougeTokenizer.named}), checked. */
    public String tokenizer() {
        if (RougeTokenizer.find(tokenizer).isEmpty()) {
            throw new BadInputException(RougeTokenizer.unknown(tokenizer));
        }
        return tokenizer;
    }

    /** The Model of the result, or null for the default. */
    public String modelName() {
        return modelName;
    }
}
