package org.instruct4j.train.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;

/** What every recipe does first: threads, the base model in fp32, its padding id and where its tokenizer files are. */
public final class BaseModels {
    private BaseModels() {}

    /**
     * libtorch's intra-op threads: {@code threads}, or with 0 one per core. libtorch's own default is not that: on a
     * 2-core VM it picked one thread (OpenMP saw one core), which halved training speed. OpenBLAS's threads are set
     * apart, by INSTRUCT4J_BLAS_THREADS ({@link org.instruct4j.model.tensor.BlasThreads}).
     */
    public static void useThreads(int threads) {
        torch.set_num_threads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }

    /**
     * Fails with a BadInputException when the base model cannot do what {@code settings} ask, before any weight is
     * loaded or anything written: sequences longer than its positions, LoRA on layers it does not have, a chat
     * template it does not have, a llama2.c checkpoint without its tokenizer.
     */
    public static void checkHonoured(Settings settings) {
        Path base = settings.get(TrainingSettings.BASE);
        Path tokenizer = settings.get(TrainingSettings.TOKENIZER);
        if (Files.isRegularFile(base) && tokenizer == null) {
            throw new BadInputException("--base " + base + " is a llama2.c checkpoint: give its tokenizer (--tokenizer FILE)");
        }
        if (tokenizer != null && !Files.exists(tokenizer)) {
            throw new BadInputException("--tokenizer " + tokenizer + " does not exist");
        }
        BaseModelFacts facts = BaseModelFacts.read(base);
        int maxLength = settings.get(TrainingSettings.MAX_LENGTH);
        if (maxLength > facts.maxPositions()) {
            throw new BadInputException("--max-length " + maxLength + " is longer than the " + facts.maxPositions()
                    + " positions the base model has (" + facts.positionsSource() + "); use --max-length=" + facts.maxPositions()
                    + " or less");
        }
        if (settings.get(TrainingSettings.LORA)) {
            for (String target : settings.get(TrainingSettings.LORA_TARGET_MODULES)) {
                if (!facts.hasLinearModule(target)) {
                    throw new BadInputException("--lora-target-modules: '" + target + "' is no linear layer of this "
                            + facts.modelType() + " model; its layers are " + String.join(", ", facts.linearModules()));
                }
            }
        }
        if (PromptFormat.parse(settings.get(TrainingSettings.PROMPT_FORMAT)) == PromptFormat.CHAT) {
            ModelPrompt.chatTemplate(base, tokenizer);
        }
    }

    /**
     * The base model of {@code settings} in fp32 (a Hugging Face directory, or a llama2.c .bin with its tokenizer),
     * after setting the run's threads.
     */
    public static LoadedModel load(Settings settings) {
        useThreads(settings.get(TrainingSettings.THREADS));
        Path base = settings.get(TrainingSettings.BASE);
        if (Files.isRegularFile(base)) {
            return ModelDirectory.loadLlama2c(base, settings.get(TrainingSettings.TOKENIZER), Precision.FP32, Tensors.defaultDevice());
        }
        return ModelDirectory.load(base, Precision.FP32, Tensors.defaultDevice());
    }

    /** Where the tokenizer files to copy into the output are: the base directory, or the tokenizer file given. */
    public static Path tokenizerSource(Settings settings) {
        Path base = settings.get(TrainingSettings.BASE);
        return Files.isDirectory(base) ? base : settings.get(TrainingSettings.TOKENIZER);
    }

    /**
     * The padding id: the tokenizer's own pad token when it differs from EOS, else 0 (Llama's unk, as
     * alpaca-lora pads), so EOS keeps its meaning. Padding is never attended to by real tokens nor trained on.
     */
    public static int padId(Tokenizer tokenizer) {
        int pad = tokenizer.padId();
        if (pad >= 0 && pad != tokenizer.eosId()) {
            return pad;
        }
        return tokenizer.eosId() == 0 ? 1 : 0;
    }
}
