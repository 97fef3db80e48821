package org.instruct4j.analysis.corenlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.verbs.VerbNoun;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.analysis.verbs.VerbNounRun;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The paper's rule on real sentences, with the real CoreNLP models (loaded once for the class). */
class VerbNounExtractorTest {
    private static VerbNounExtractor extractor;
    private static DatasetTexts alpacaOutputs;
    private static DatasetTexts alpacaInstructions;

    @BeforeAll
    static void load() {
        extractor = VerbNounExtractor.english();
        alpacaOutputs = DatasetTexts.read(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), null, "output");
        alpacaInstructions = DatasetTexts.read(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), null, "instruction");
    }

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource(delimiter = '|', value = {
        "Give three tips for staying healthy.|give|tip",
        "Write a poem about the sea.|write|poem",
        "Generate a list of ten names and describe them.|generate|list",
        "Given this sentence, create three synonyms for the word \"befuddled\".|create|synonym",
        "Write a poem about the sea. The capital of France is Paris.|write|poem",
        "Wrote three stories|write|story"})
    void rootVerbAndItsFirstDirectObjectNoun(String text, String verb, String noun) {
        assertThat(extractor.extract(text)).contains(new VerbNoun(verb, noun));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "The capital of France is Paris.",
        "Vertebrate.",
        "No",
        "E, G, B",
        "The capital of France is Paris. Write a poem about the sea.",
        "Sure!\nWrite a poem about the sea."})
    void firstSentenceWithoutAVerbRootIsSkipped(String text) {
        assertThat(extractor.extract(text.replace("\\n", "\n"))).isEmpty();
    }

    @Test
    void blankTextsYieldNothing() {
        assertThat(extractor.extract("")).isEmpty();
        assertThat(extractor.extract(" \n\t ")).isEmpty();
        assertThat(extractor.extract(null)).isEmpty();
    }

    @Test
    void verbWithoutDirectObjectNounHasNoNoun() {
        assertThat(extractor.extract("Explain how entrepreneurs utilize crowdfunding.")).contains(new VerbNoun("explain", null));
        assertThat(extractor.extract("Describe what a blockchain is in less than 20 words.")).contains(new VerbNoun("describe", null));
        // "Paris" is a proper noun: the rule keeps common nouns only
        assertThat(extractor.extract("Visit Paris in the spring.")).contains(new VerbNoun("visit", null));
    }

    @Test
    void aLineBreakEndsTheFirstSentence() {
        assertThat(extractor.extract("\n\nWrite a poem\nabout the sea")).contains(new VerbNoun("write", "poem"));
        assertThat(extractor.extract("Dear Bob,\n\nI am writing to remind you of our appointment.")).isEmpty();
    }

    @Test
    void realAlpacaRows() {
        List<String> instructions = alpacaInstructions.texts();
        assertThat(extractor.extract(instructions.get(1))).contains(new VerbNoun("arrange", "note"));
        assertThat(extractor.extract(instructions.get(2))).contains(new VerbNoun("categorize", "fruit"));
        assertThat(extractor.extract(instructions.get(10))).contains(new VerbNoun("generate", "list"));
        assertThat(extractor.extract(instructions.get(0))).contains(new VerbNoun("be", null));
        List<String> outputs = alpacaOutputs.texts();
        assertThat(outputs.get(6)).startsWith("The sound wave of the ocean contains frequencies");
        assertThat(extractor.extract(outputs.get(6))).contains(new VerbNoun("contain", "frequency"));
        assertThat(outputs.get(15)).startsWith("1. Solar energy\n");
        assertThat(extractor.extract(outputs.get(15))).isEmpty();
    }

    @Test
    void parallelRunEqualsOneByOneInOrder() {
        List<String> texts = alpacaOutputs.texts().subList(0, 300);
        List<Optional<VerbNoun>> parallel = VerbNounRun.extractAll(extractor::extract, texts, 3, Progress.create("t", 300, "rows", true));
        List<Optional<VerbNoun>> sequential = texts.stream().map(extractor::extract).toList();
        assertThat(parallel).isEqualTo(sequential);
        assertThat(parallel.stream().filter(Optional::isPresent).count()).isBetween(90L, 210L);
    }

    @Test
    void alpacaInstructionsAreDominatedByGenerateAndWrite() {
        VerbNounCounts counts = VerbNounRun.count(extractor::extract, new DatasetTexts("instructions",
                alpacaInstructions.file(), "instruction", alpacaInstructions.texts().subList(0, 600)), 2, true);
        assertThat(counts.rows()).isEqualTo(600);
        // Alpaca's (and Self-Instruct's) best-known pairs lead the list, as in their published figures
        List<String> top5 = counts.top(5).stream().map(p -> p.verb() + " " + p.noun()).toList();
        assertThat(top5).contains("generate list");
        assertThat(counts.verbRoots()).isGreaterThan(500);
        assertThat(counts.count("generate", "list")).isGreaterThan(counts.count("write", "story"));
    }
}
