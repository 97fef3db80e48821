package org.instruct4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void failNextComesBeforePromptRulesAndEachRuleRunsOut() {
        FaultPlan plan = new FaultPlan()
                .failWhenPromptContains("poem", 1, Fault.truncated())
                .failNext(1, Fault.status(500));

        assertThat(plan.next("a poem")).contains(Fault.status(500));
        assertThat(plan.next("a poem")).contains(Fault.truncated());
        assertThat(plan.next("a poem")).isEmpty();
        assertThat(plan.injected()).isEqualTo(2);
    }

    @Test
    void randomFaultsFollowTheirProbabilitiesAndTheSeed() {
        List<Optional<Fault>> first = draws(7);

        assertThat(draws(7)).isEqualTo(first);
        assertThat(draws(8)).isNotEqualTo(first);
        long rateLimited = first.stream().filter(f -> f.equals(Optional.of(Fault.rateLimited(2)))).count();
        long dropped = first.stream().filter(f -> f.equals(Optional.of(Fault.dropConnection()))).count();
        assertThat(rateLimited).isBetween(150L, 250L);
        assertThat(dropped).isBetween(50L, 150L);
    }

    private static List<Optional<Fault>> draws(long seed) {
        FaultPlan plan = new FaultPlan().seed(seed)
                .randomly(0.2, Fault.rateLimited(2))
                .randomly(0.1, Fault.dropConnection());
        List<Optional<Fault>> draws = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            draws.add(plan.next("prompt " + i));
        }
        return draws;
    }

    @Test
    void probabilitiesMayNotExceedOne() {
        FaultPlan plan = new FaultPlan().randomly(0.7, Fault.status(500));

        assertThatThrownBy(() -> plan.randomly(0.4, Fault.truncated())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearRemovesEveryRule() {
        FaultPlan plan = new FaultPlan().failNext(5, Fault.malformedJson()).randomly(1.0, Fault.truncated());

        plan.clear();

        assertThat(plan.next("anything")).isEmpty();
    }
}
