package org.instruct4j.analysis.corenlp;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.ling.IndexedWord;
import edu.stanford.nlp.parser.nndep.DependencyParser;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.trees.GrammaticalRelation;
import edu.stanford.nlp.trees.TypedDependency;
import edu.stanford.nlp.util.CoreMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.instruct4j.analysis.verbs.VerbNoun;

/**
 * The paper's verb-noun rule (Figure 1, after Self-Instruct), with Stanford CoreNLP: take the first sentence of a
 * text; if its dependency root is a verb, return the verb's lemma and the lemma of its first direct object that is
 * a common noun.
 *
 * <p>Works on one text at a time so that any caller (the CLI's thread pool, a Spark partition) can drive it. One
 * instance is safe to share between threads and should be shared: loading the models takes seconds and about a
 * gigabyte. Only the first sentence is tagged and parsed, and it is parsed only when it holds a verb at all (a
 * sentence without one cannot have a verb root).
 */
public final class VerbNounExtractor {
    /** Universal Dependencies v2 names the direct object {@code obj}; Stanford Dependencies models {@code dobj}. */
    private static final Set<String> DIRECT_OBJECT = Set.of("obj", "dobj");
    /** Common nouns only, like spaCy's NOUN in the Self-Instruct script the paper's figure follows. */
    private static final Set<String> COMMON_NOUN_TAGS = Set.of("NN", "NNS");

    /**
     * Hidden-layer activations the neural parser keeps for (word, position) features outside its precomputed set;
     * each costs 4 KB. CoreNLP's default of 5,000 misses often on model answers; 50,000 (200 MB) parsed Alpaca
     * outputs about 15% faster here (BENCHMARKS.md).
     */
    private static final int PARSER_CACHE_ENTRIES = 50_000;

    private final StanfordCoreNLP sentenceSplitter;
    private final StanfordCoreNLP tagger;
    private final DependencyParser parser;

    private VerbNounExtractor(StanfordCoreNLP sentenceSplitter, StanfordCoreNLP tagger, DependencyParser parser) {
        this.sentenceSplitter = sentenceSplitter;
        this.tagger = tagger;
        this.parser = parser;
    }

    /** Loads the English models: tokenizer, sentence splitter, POS tagger, lemmatizer, neural dependency parser (UD). */
    public static VerbNounExtractor english() {
        Properties split = new Properties();
        split.setProperty("annotators", "tokenize,ssplit");
        split.setProperty("tokenize.language", "en");
        // model answers put list items, headings and code on their own lines: a line break ends a sentence
        split.setProperty("ssplit.newlineIsSentenceBreak", "always");
        Properties tag = new Properties();
        tag.setProperty("annotators", "pos,lemma");
        // the tokens come from the splitter above, so this pipeline must not insist on running its own tokenizer
        tag.setProperty("enforceRequirements", "false");
        // the parser is called directly rather than through the depparse annotator, which also derives four
        // enhanced/collapsed graphs per sentence that the rule never reads (about a quarter of its time here)
        Properties parse = new Properties();
        parse.setProperty("numCached", Integer.toString(PARSER_CACHE_ENTRIES));
        DependencyParser parser = DependencyParser.loadFromModelFile(DependencyParser.DEFAULT_MODEL, parse);
        return new VerbNounExtractor(new StanfordCoreNLP(split), new StanfordCoreNLP(tag), parser);
    }

    /**
     * Applies the rule to one text. Empty when the text has no sentence or its first sentence's root is not a verb;
     * a {@link VerbNoun} without noun when the root verb has no direct-object common noun.
     */
    public Optional<VerbNoun> extract(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        CoreMap first = firstSentence(text);
        if (first == null) {
            return Optional.empty();
        }
        List<CoreLabel> tokens = first.get(CoreAnnotations.TokensAnnotation.class);
        Annotation sentenceOnly = new Annotation(first.get(CoreAnnotations.TextAnnotation.class));
        sentenceOnly.set(CoreAnnotations.TokensAnnotation.class, tokens);
        sentenceOnly.set(CoreAnnotations.SentencesAnnotation.class, List.of(first));
        tagger.annotate(sentenceOnly);
        if (tokens.stream().noneMatch(VerbNounExtractor::isVerb)) {
            return Optional.empty();
        }
        return rule(parser.predict(first).typedDependencies());
    }

    /**
     * The first sentence of the text. A line break always ends a sentence, so only the first line that holds a
     * sentence is tokenized, never the rest of a long answer.
     */
    private CoreMap firstSentence(String text) {
        for (String line : (Iterable<String>) text.lines()::iterator) {
            if (line.isBlank()) {
                continue;
            }
            Annotation document = new Annotation(line);
            sentenceSplitter.annotate(document);
            List<CoreMap> sentences = document.get(CoreAnnotations.SentencesAnnotation.class);
            if (!sentences.isEmpty()) {
                return sentences.get(0);
            }
        }
        return null;
    }

    private static Optional<VerbNoun> rule(Collection<TypedDependency> dependencies) {
        IndexedWord root = dependencies.stream()
                .filter(d -> d.reln() == GrammaticalRelation.ROOT)
                .map(TypedDependency::dep)
                .findFirst().orElse(null);
        if (root == null || !isVerb(root.backingLabel())) {
            return Optional.empty();
        }
        String noun = dependencies.stream()
                .filter(d -> d.gov().index() == root.index() && DIRECT_OBJECT.contains(d.reln().getShortName()))
                .map(TypedDependency::dep)
                .filter(word -> COMMON_NOUN_TAGS.contains(word.tag()))
                .min(Comparator.comparingInt(IndexedWord::index))
                .map(VerbNounExtractor::lemma)
                .orElse(null);
        return Optional.of(new VerbNoun(lemma(root), noun));
    }

    private static boolean isVerb(CoreLabel token) {
        String tag = token.tag();
        return tag != null && tag.startsWith("VB");
    }

    private static String lemma(IndexedWord word) {
        String lemma = word.lemma() == null ? word.word() : word.lemma();
        return lemma.toLowerCase(Locale.ROOT);
    }
}
