package org.instruct4j.model.lora;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.Device;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.arch.CausalLm;
import org.instruct4j.model.tensor.Precision;

/** PEFT's merge_and_unload as a file operation: base model + LoRA adapter directory -> a plain model directory. */
public final class LoraMerge {
    private LoraMerge() {}

    /**
     * Writes {@code output}: the base (a Hugging Face directory, or a llama2.c checkpoint whose tokenizer is
     * {@code tokenizer}, else the adapter directory's) with the adapter folded into its weights, in fp32.
     * Returns the merged model.
     */
    public static CausalLm write(Path base, Path tokenizer, Path adapter, Path output) {
        Device cpu = new Device("cpu");
        boolean llama2c = Files.isRegularFile(base);
        Path tokenizerSource = llama2c ? (tokenizer != null ? tokenizer : adapter) : base;
        LoadedModel loaded = llama2c
                ? ModelDirectory.loadLlama2c(base, tokenizerSource, Precision.FP32, cpu)
                : ModelDirectory.load(base, Precision.FP32, cpu);
        LoraAdapters.attach(loaded.model(), LoraSpec.read(adapter), LoraAdapters.read(adapter, loaded.model()), adapter.toString());
        CausalLm merged = LoraAdapters.merge(loaded.model());
        ModelDirectory.save(merged, output, tokenizerSource);
        if (!llama2c && Files.isRegularFile(base.resolve("generation_config.json"))) {
            org.instruct4j.core.io.AtomicFiles.write(output.resolve("generation_config.json"),
                    out -> Files.copy(base.resolve("generation_config.json"), out));
        }
        return merged;
    }
}
