package org.instruct4j.bench.analysis;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.IndexedWord;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.semgraph.SemanticGraph;
import edu.stanford.nlp.semgraph.SemanticGraphCoreAnnotations;
import edu.stanford.nlp.semgraph.SemanticGraphEdge;
import edu.stanford.nlp.util.CoreMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.instruct4j.analysis.verbs.VerbNoun;

/**
 * The obvious way to apply the paper's rule with CoreNLP, as a baseline for {@link VerbNounBench}: the documented
 * pipeline {@code tokenize,ssplit,pos,lemma,depparse} over the whole text (every sentence tagged and parsed, every
 * dependency graph built), then the rule on the first sentence's basic dependencies.
 */
final class FullPipelineBaseline {
    private final StanfordCoreNLP pipeline;

    FullPipelineBaseline() {
        Properties properties = new Properties();
        properties.setProperty("annotators", "tokenize,ssplit,pos,lemma,depparse");
        properties.setProperty("ssplit.newlineIsSentenceBreak", "always");
        pipeline = new StanfordCoreNLP(properties);
    }

    Optional<VerbNoun> extract(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        Annotation document = new Annotation(text);
        pipeline.annotate(document);
        List<CoreMap> sentences = document.get(CoreAnnotations.SentencesAnnotation.class);
        if (sentences.isEmpty()) {
            return Optional.empty();
        }
        SemanticGraph graph = sentences.get(0).get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class);
        IndexedWord root = graph.getFirstRoot();
        if (root == null || !root.tag().startsWith("VB")) {
            return Optional.empty();
        }
        String noun = graph.outgoingEdgeList(root).stream()
                .filter(edge -> Set.of("obj", "dobj").contains(edge.getRelation().getShortName()))
                .map(SemanticGraphEdge::getDependent)
                .filter(word -> Set.of("NN", "NNS").contains(word.tag()))
                .min(Comparator.comparingInt(IndexedWord::index))
                .map(word -> word.lemma().toLowerCase(Locale.ROOT))
                .orElse(null);
        return Optional.of(new VerbNoun(root.lemma().toLowerCase(Locale.ROOT), noun));
    }
}
