package org.instruct4j.teacher.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.teacher.run.Rows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    @TempDir
    Path dir;

    private final PriceTable defaults = PriceTable.defaults();

    @Test
    void modelFindsItsLongestListedFamily() {
        assertThat(defaults.priceOf("gpt-4")).contains(new PriceTable.Price(30, 60));
        assertThat(defaults.priceOf("gpt-4-0613")).contains(new PriceTable.Price(30, 60));
        assertThat(defaults.priceOf("gpt-4-32k-0613")).contains(new PriceTable.Price(60, 120));
        assertThat(defaults.priceOf("gpt-4-turbo-2024-04-09")).contains(new PriceTable.Price(10, 30));
        assertThat(defaults.priceOf("gpt-4o-2024-08-06")).contains(new PriceTable.Price(2.5, 10));
        assertThat(defaults.priceOf("gpt-4o-mini-2024-07-18")).contains(new PriceTable.Price(0.15, 0.6));
        assertThat(defaults.priceOf("gpt-4.1-nano")).contains(new PriceTable.Price(0.1, 0.4));
        assertThat(defaults.priceOf("gpt-3.5-turbo-0125")).contains(new PriceTable.Price(0.5, 1.5));
    }

    @Test
    void aPrefixMustEndAtADash() {
        assertThat(defaults.priceOf("gpt-4ox")).isEmpty();
        assertThat(defaults.priceOf("o3x")).isEmpty();
        assertThat(defaults.priceOf("llama-3-8b")).isEmpty();
    }

    @Test
    void priceFileOverridesAndExtends() {
        Path file = Rows.writeRaw(dir.resolve("prices.json"),
                "{\"gpt-4\": {\"input\": 1, \"output\": 2}, \"llama-3\": {\"input\": 0.05, \"output\": 0.08}}");

        PriceTable table = defaults.withOverrides(file);

        assertThat(table.priceOf("gpt-4-0613")).contains(new PriceTable.Price(1, 2));
        assertThat(table.priceOf("llama-3-70b")).contains(new PriceTable.Price(0.05, 0.08));
        assertThat(table.priceOf("gpt-4o")).contains(new PriceTable.Price(2.5, 10));
        assertThat(defaults.priceOf("gpt-4")).contains(new PriceTable.Price(30, 60));
    }

    @Test
    void badPriceNamesTheFileAndTheModel() {
        Path file = Rows.writeRaw(dir.resolve("prices.json"),
                "{\"gpt-4\": {\"input\": 1, \"output\": 2}, \"my-model\": {\"input\": \"cheap\", \"output\": 2}}");

        assertThatThrownBy(() -> defaults.withOverrides(file))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.location().file()).isEqualTo(file);
                    assertThat(e.field()).isEqualTo("my-model");
                })
                .hasMessageContaining(file.toString())
                .hasMessageContaining("my-model");
    }

    @Test
    void priceWithoutOutputIsRejected() {
        Path file = Rows.writeRaw(dir.resolve("prices.json"), "{\"gpt-4\": {\"input\": 1}}");

        assertThatThrownBy(() -> defaults.withOverrides(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("gpt-4");
    }

    @Test
    void fileThatIsNotAnObjectOrNotJsonIsRejected() {
        Path array = Rows.writeRaw(dir.resolve("array.json"), "[1, 2]");
        Path broken = Rows.writeRaw(dir.resolve("broken.json"), "{\"gpt-4\": {\"input\": 1,");

        assertThatThrownBy(() -> defaults.withOverrides(array)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(array.toString());
        assertThatThrownBy(() -> defaults.withOverrides(broken)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(broken.toString());
    }

    @Test
    void costIsPerMillionTokens() {
        assertThat(new PriceTable.Price(2.5, 10).cost(1_000_000, 500_000)).isEqualTo(7.5);
    }
}
