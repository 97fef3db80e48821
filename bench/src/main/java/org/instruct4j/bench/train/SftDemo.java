package org.instruct4j.bench.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.testkit.SharedData;
import org.instruct4j.train.sft.SftRecipe;
import org.instruct4j.train.sft.SftResult;
import org.instruct4j.train.synthetic.SyntheticInstructions;

/**
 * The demonstrations of README/BENCHMARKS, on the real stories260K model:
 * <ul>
 * <li>{@code alpaca}: fine-tune on the 5,000 real Alpaca rows with 2 % held out; prints held-out loss before and
 * after.</li>
 * <li>{@code synthetic}: fine-tune on generated "Repeat:" / "Reverse:" instructions, then answer held-out ones
 * greedily; prints the exact-match accuracy per kind.</li>
 * </ul>
 * <pre>bench/run train.SftDemo alpaca|synthetic OUTPUT_DIR [--key=value overrides]</pre>
 */
public final class SftDemo {
    private SftDemo() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        List<String> overrides = new ArrayList<>(List.of(
                "--base=" + SharedData.path("models/stories260K/stories260K.bin"),
                "--tokenizer=" + SharedData.path("models/stories260K/tok512.bin"), "--precision=bf16"));
        overrides.addAll(List.of(args).subList(2, args.length));
        if (args[0].equals("alpaca")) {
            overrides.addAll(0, List.of("--data=" + SharedData.path("alpaca/alpaca_5000_subset_pr152.json"),
                    "--output=" + dir.resolve("alpaca"), "--eval-fraction=0.02", "--epochs=1", "--lr=2e-3",
                    "--batch-size=16", "--micro-batch-size=8", "--eval-steps=15", "--save-steps=15"));
            SftResult result = SftRecipe.run(SftRecipe.SETTINGS.resolve(null, overrides));
            System.out.printf("alpaca: held-out loss %.4f before, %.4f after %d steps%n", result.firstEvalLoss(),
                    result.lastEvalLoss(), result.steps());
            return;
        }
        SyntheticInstructions.Split split = SyntheticInstructions.generate(2000, 200, 7);
        split.write(dir.resolve("synthetic_train.jsonl"), dir.resolve("synthetic_test.jsonl"));
        Path output = dir.resolve("synthetic");
        overrides.addAll(0, List.of("--data=" + dir.resolve("synthetic_train.jsonl"), "--output=" + output,
                "--epochs=3", "--lr=3e-3", "--batch-size=16", "--micro-batch-size=16", "--packing", "--max-length=256",
                "--save-steps=50"));
        SftResult result = SftRecipe.run(SftRecipe.SETTINGS.resolve(null, overrides));
        LoadedModel model = ModelDirectory.load(output);
        int[] correct = new int[2];
        int[] total = new int[2];
        List<String> prompts = new ArrayList<>();
        for (AlpacaExample example : split.test()) {
            prompts.add(AlpacaPrompt.render(example.instruction(), example.input()));
        }
        List<Generation> answers = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i += 25) {
            answers.addAll(model.generator().generate(prompts.subList(i, Math.min(prompts.size(), i + 25)), GenerationConfig.greedy(24)));
        }
        for (int i = 0; i < split.test().size(); i++) {
            AlpacaExample example = split.test().get(i);
            int kind = example.instruction().startsWith("Reverse") ? 1 : 0;
            total[kind]++;
            boolean ok = answers.get(i).text().trim().equals(example.output());
            correct[kind] += ok ? 1 : 0;
            if (i < 6) {
                System.out.printf("  %s -> %s (%s)%n", example.instruction(), answers.get(i).text().trim(), ok ? "correct" : "wrong");
            }
        }
        System.out.printf("synthetic: %d steps, final loss %.4f; held-out exact match: repeat %d/%d, reverse %d/%d, all %.1f %%%n",
                result.steps(), result.lastLoss(), correct[0], total[0], correct[1], total[1],
                100.0 * (correct[0] + correct[1]) / (total[0] + total[1]));
    }
}
