package org.instruct4j.teacher.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class UsageMeterTest {
    @Test
    void countsPerModelAndPricesThem() {
        UsageMeter meter = new UsageMeter(PriceTable.defaults(), 1.0);
        meter.record("gpt-4-0613", 1000, 200);
        meter.record("gpt-4-0613", 3000, 800);
        meter.record("gpt-4o-mini", 2_000_000, 1_000_000);

        JsonNode json = meter.toJson();

        assertThat(meter.totalTokens()).isEqualTo(1000 + 200 + 3000 + 800 + 3_000_000);
        JsonNode gpt4 = json.get("models").get("gpt-4-0613");
        assertThat(gpt4.get("requests").asLong()).isEqualTo(2);
        assertThat(gpt4.get("prompt_tokens").asLong()).isEqualTo(4000);
        assertThat(gpt4.get("completion_tokens").asLong()).isEqualTo(1000);
        assertThat(gpt4.get("estimated_cost_usd").asDouble()).isEqualTo(0.18);
        assertThat(json.get("models").get("gpt-4o-mini").get("estimated_cost_usd").asDouble()).isEqualTo(0.9);
        assertThat(meter.estimatedCost()).isCloseTo(1.08, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(json.get("estimated_cost_usd").asDouble()).isEqualTo(1.08);
        assertThat(meter.summary()).contains("gpt-4-0613: 2 requests, 4,000 prompt + 1,000 completion tokens")
                .contains("estimated cost: $1.0800");
    }

    @Test
    void batchApiHalvesTheCost() {
        UsageMeter meter = new UsageMeter(PriceTable.defaults(), 0.5);
        meter.record("gpt-4", 1_000_000, 0);

        assertThat(meter.estimatedCost()).isEqualTo(15.0);
        assertThat(meter.toJson().get("price_factor").asDouble()).isEqualTo(0.5);
        assertThat(meter.summary()).contains("Batch API price");
    }

    @Test
    void unknownModelMakesTheTotalUnknownNotZero() {
        UsageMeter meter = new UsageMeter(PriceTable.defaults(), 1.0);
        meter.record("gpt-4", 1000, 1000);
        meter.record("my-local-llama", 1000, 1000);

        JsonNode json = meter.toJson();

        assertThat(meter.estimatedCost()).isNaN();
        assertThat(json.get("estimated_cost_usd").isNull()).isTrue();
        assertThat(json.get("models").get("my-local-llama").get("estimated_cost_usd").isNull()).isTrue();
        assertThat(json.get("models").get("gpt-4").get("estimated_cost_usd").asDouble()).isEqualTo(0.09);
        assertThat(meter.summary()).contains("estimated cost: unknown").contains("--prices");
    }

    @Test
    void countsFromManyThreads() throws InterruptedException {
        UsageMeter meter = new UsageMeter(PriceTable.defaults(), 1.0);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    meter.record("gpt-4", 3, 2);
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(meter.toJson().get("models").get("gpt-4").get("requests").asLong()).isEqualTo(8000);
        assertThat(meter.totalTokens()).isEqualTo(8000 * 5);
    }
}
