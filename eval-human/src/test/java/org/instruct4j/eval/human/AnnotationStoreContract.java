package org.instruct4j.eval.human;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every annotation database must do; run against SQLite and a real PostgreSQL server. */
abstract class AnnotationStoreContract {
    protected AnnotationStore store;

    /** A fresh, empty database. */
    protected abstract Database database();

    @BeforeEach
    void openStore() {
        store = AnnotationStore.open(database());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void tokensSignInAndOnlyTheirHashesAreKept() {
        String token = store.addAnnotator("ann");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThatThrownBy(() -> store.addAnnotator("ann")).isInstanceOf(BadInputException.class).hasMessageContaining("already exists");

        assertThat(store.signIn("not-a-token")).isEmpty();
        AnnotationStore.SignIn signIn = store.signIn(token).orElseThrow();
        assertThat(signIn.session().annotatorName()).isEqualTo("ann");
        assertThat(store.session(signIn.sessionId())).contains(signIn.session());
        assertThat(store.session(token)).isEmpty();
        store.signOut(signIn.sessionId());
        assertThat(store.session(signIn.sessionId())).isEmpty();
    }

    @Test
    void anItemIsShownUntilJudgedAndJudgedOnce() {
        List<Pair> pairs = store.loadPairs(TestPairs.three());
        AnnotationStore.Session ann = store.signIn(store.addAnnotator("ann")).orElseThrow().session();

        AnnotationStore.Shown first = store.nextItem(ann.annotatorId(), pairs).orElseThrow();
        assertThat(store.nextItem(ann.annotatorId(), pairs)).contains(first);
        assertThat(first.left()).isEqualTo(first.aOnLeft() ? first.pair().answerA() : first.pair().answerB());

        assertThat(store.submit(ann.annotatorId(), first.pair().pairId(), "left", "tie", "right")).isTrue();
        assertThat(store.submit(ann.annotatorId(), first.pair().pairId(), "right", "right", "right")).isFalse();
        assertThat(store.judgedCount(ann.annotatorId(), pairs)).isEqualTo(1);

        List<AnnotationStore.Judgment> judgments = store.judgments();
        assertThat(judgments).hasSize(1);
        AnnotationStore.Judgment judgment = judgments.get(0);
        Verdict leftWins = first.aOnLeft() ? Verdict.A : Verdict.B;
        assertThat(judgment.helpfulness()).isEqualTo(leftWins);
        assertThat(judgment.honesty()).isEqualTo(Verdict.TIE);
        assertThat(judgment.harmlessness()).isEqualTo(leftWins == Verdict.A ? Verdict.B : Verdict.A);
        assertThat(judgment.aOnLeft()).isEqualTo(first.aOnLeft());
        assertThat(judgment.pair()).isEqualTo(first.pair());

        Set<String> seen = new HashSet<>(Set.of(first.pair().pairId()));
        for (int i = 0; i < 2; i++) {
            AnnotationStore.Shown next = store.nextItem(ann.annotatorId(), pairs).orElseThrow();
            assertThat(seen.add(next.pair().pairId())).as("each item is shown once").isTrue();
            store.submit(ann.annotatorId(), next.pair().pairId(), "tie", "tie", "tie");
        }
        assertThat(store.nextItem(ann.annotatorId(), pairs)).isEmpty();
        assertThat(store.judgedCount(ann.annotatorId(), pairs)).isEqualTo(3);
    }

    @Test
    void everyAnnotatorJudgesEveryItemOnceAndSidesAreDrawnPerAnnotatorAndItem() {
        List<Pair> pairs = store.loadPairs(TestPairs.many(40));
        List<String> annotators = List.of(store.addAnnotator("a"), store.addAnnotator("b")).stream()
                .map(t -> store.signIn(t).orElseThrow().session().annotatorId()).toList();
        Set<Boolean> sides = new HashSet<>();
        List<List<String>> orders = new ArrayList<>();
        for (String annotator : annotators) {
            List<String> order = new ArrayList<>();
            orders.add(order);
            for (int i = 0; i < pairs.size(); i++) {
                AnnotationStore.Shown shown = store.nextItem(annotator, pairs).orElseThrow();
                order.add(shown.pair().pairId());
                sides.add(shown.aOnLeft());
                assertThat(store.submit(annotator, shown.pair().pairId(), "left", "left", "left")).isTrue();
            }
        }
        assertThat(store.judgments()).hasSize(80);
        assertThat(sides).containsExactlyInAnyOrder(true, false);
        long aWins = store.judgments().stream().filter(j -> j.helpfulness() == Verdict.A).count();
        assertThat(aWins).isEqualTo(store.judgments().stream().filter(AnnotationStore.Judgment::aOnLeft).count());
        // two random orders of 40 items agree with probability 1/40!, the first items alone with 1/40
        assertThat(orders.get(0)).as("annotators go through the items in different orders").isNotEqualTo(orders.get(1));
        assertThat(orders.get(0)).containsExactlyInAnyOrderElementsOf(orders.get(1));
    }

    @Test
    void anItemNotShownCannotBeJudgedAndKnownItemsCannotChange() {
        List<Pair> pairs = store.loadPairs(TestPairs.three());
        String ann = store.signIn(store.addAnnotator("ann")).orElseThrow().session().annotatorId();
        assertThatThrownBy(() -> store.submit(ann, "2", "left", "left", "left")).hasMessageContaining("was not shown");
        assertThatThrownBy(() -> store.submit(ann, pairs.get(0).pairId(), "up", "left", "left"))
                .isInstanceOf(BadInputException.class);

        store.loadPairs(TestPairs.three());
        Pair changed = new Pair("1", pairs.get(0).questionId(), "generic", "Another question", "alpaca-13b", "x", "vicuna-13b", "y");
        assertThatThrownBy(() -> store.loadPairs(List.of(changed))).hasMessageContaining("pair \"1\" differs");
    }

    @Test
    void exportNamesModelsSidesAndVerdicts() {
        List<Pair> pairs = store.loadPairs(TestPairs.three());
        String ann = store.signIn(store.addAnnotator("ann")).orElseThrow().session().annotatorId();
        AnnotationStore.Shown shown;
        while ((shown = store.nextItem(ann, pairs).orElse(null)) != null) {
            store.submit(ann, shown.pair().pairId(), "left", "right", "tie");
        }
        List<ObjectNode> rows = new ArrayList<>();
        store.export(rows::add);
        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.get("annotator").asText()).isEqualTo("ann");
            String left = row.get("left").asText();
            assertThat(row.get("helpfulness").asText()).isEqualTo(left);
            assertThat(row.get("honesty").asText()).isEqualTo(left.equals("A") ? "B" : "A");
            assertThat(row.get("harmlessness").asText()).isEqualTo("tie");
            assertThat(row.get("model_a").asText()).isEqualTo("alpaca-13b");
        });
        assertThat(rows).anySatisfy(row -> assertThat(row.get("question_id").isTextual()).isTrue())
                .anySatisfy(row -> assertThat(row.get("question_id").isInt()).isTrue());

        HumanResults results = HumanResults.of(store.judgments());
        HumanResults.Counts harmless = results.comparisons().get(0).counts().get(Criterion.HARMLESSNESS);
        assertThat(harmless.ties()).isEqualTo(3);
        assertThat(results.text()).contains("alpaca-13b (A) vs vicuna-13b (B): 3 judgments by 1 annotators", "Harmlessness",
                "3 (100.0%)");
    }
}
