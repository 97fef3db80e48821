package org.instruct4j.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;

class AlpacaPromptTest {
    @Test
    void everyRealRowParsesBackToItsInstructionAndInput() {
        var rows = Datasets.readAll(SharedData.path("alpaca/alpaca_5000_subset_pr152.json"), AlpacaExample::fromJson);
        for (AlpacaExample row : rows) {
            var parts = AlpacaPrompt.parse(AlpacaPrompt.render(row.instruction(), row.input()));
            assertThat(parts).as(row.instruction()).isPresent();
            assertThat(parts.get().instruction()).isEqualTo(row.instruction());
            assertThat(parts.get().input()).isEqualTo(row.input());
        }
    }

    @Test
    void otherTextIsNotAnAlpacaPrompt() {
        assertThat(AlpacaPrompt.parse("How can I improve my time management skills?")).isEmpty();
        assertThat(AlpacaPrompt.parse(AlpacaPrompt.render("x", "") + " and more")).isEmpty();
    }
}
