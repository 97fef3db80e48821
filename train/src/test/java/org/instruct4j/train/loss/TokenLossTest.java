package org.instruct4j.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.arch.Architectures;
import org.instruct4j.model.arch.Llama;
import org.instruct4j.model.arch.LlamaConfig;
import org.instruct4j.model.chat.ChatTemplate;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.tensor.Precision;
import org.instruct4j.model.tensor.Tensors;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.testkit.SharedData;
import org.instruct4j.train.data.Conversation;
import org.instruct4j.train.data.EncodedExample;
import org.instruct4j.train.data.ExampleEncoder;
import org.instruct4j.train.data.SequenceBatch;
import org.instruct4j.train.run.BaseModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loss sees response tokens only, and packed examples behave exactly as if they were alone. */
class TokenLossTest {
    static final String ZEPHYR = "{% for message in messages %}{% if message['role'] == 'user' %}{{ '<|user|>\n' + message['content'] + eos_token }}\n"
            + "{% else %}{{ '<|assistant|>\n' + message['content'] + eos_token }}\n{% endif %}"
            + "{% if loop.last and add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}{% endfor %}";
    static final Device CPU = new Device("cpu");
    static Tokenizer tokenizer;
    static Llama model;
    static ExampleEncoder encoder;

    @BeforeAll
    static void setUp() {
        tokenizer = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
        model = Architectures.randomLlama(LlamaConfig.llama(64, 128, 2, 4, 2, tokenizer.vocabSize(), 512, false),
                Precision.FP32, CPU, 7);
        encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, tokenizer), 512);
    }

    @Test
    void promptTokensAreMaskedAndTheResponseEndsWithAnUnmaskedEos() {
        AlpacaExample example = new AlpacaExample("Give three tips for staying healthy.", "", "Eat well, sleep, move.");
        EncodedExample encoded = encoder.encode(example, 0);
        int[] prompt = tokenizer.encode(org.instruct4j.core.prompt.AlpacaPrompt.render(example.instruction(), ""), true);

        assertThat(encoded.promptTokens()).isEqualTo(prompt.length);
        for (int i = 0; i + 1 < prompt.length; i++) {
            assertThat(encoded.target(i)).as("prompt position %d", i).isEqualTo(EncodedExample.IGNORE);
        }
        assertThat(encoded.target(encoded.inputLength() - 1)).isEqualTo(tokenizer.eosId());
        assertThat(BaseModels.padId(tokenizer)).isNotEqualTo(tokenizer.eosId());
        String response = tokenizer.decode(java.util.Arrays.copyOfRange(encoded.tokens(), encoded.promptTokens(), encoded.tokens().length));
        assertThat(response).isEqualTo("Eat well, sleep, move.");
    }

    @Test
    void aChatTemplateMasksTheConversationUpToTheReplyAndEndsWithOneEos() {
        var chat = new ChatTemplate(ZEPHYR, "<s>", "</s>", "test");
        ExampleEncoder chatEncoder = new ExampleEncoder(ModelPrompt.chat(chat, tokenizer), 512);
        EncodedExample encoded = chatEncoder.encode(new AlpacaExample("Name a color.", "", "Blue."), 0);
        int[] tokens = encoded.tokens();
        String response = tokenizer.decode(java.util.Arrays.copyOfRange(tokens, encoded.promptTokens(), tokens.length));
        assertThat(response.trim()).isEqualTo("Blue.");
        long eosCount = java.util.Arrays.stream(tokens).filter(id -> id == tokenizer.eosId()).count();
        assertThat(eosCount).as("the user turn's and the reply's").isEqualTo(2);
        assertThat(encoded.target(encoded.inputLength() - 1)).isEqualTo(tokenizer.eosId());
    }

    @Test
    void maskedPromptPositionsContributeExactlyZeroGradient() {
        EncodedExample a = encoder.encode(new AlpacaExample("Name a primary color.", "", "Red."), 0);
        EncodedExample b = encoder.encode(new AlpacaExample("Translate to French.", "cat", "chat"), 1);
        SequenceBatch batch = SequenceBatch.of(List.of(List.of(a), List.of(b)), BaseModels.padId(tokenizer), false, CPU);
        Tensor hidden;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            hidden = model.hiddenStates(batch.inputIds(), batch.positions(), null).detach();
        }
        hidden.requires_grad_(true);
        TokenLoss.sumOverHidden(model, hidden, batch).backward();
        float[] grad = Tensors.toFloats(hidden.grad());
        long steps = hidden.size(1), width = hidden.size(2);
        List<EncodedExample> rows = List.of(a, b);
        int targets = 0;
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < steps; t++) {
                boolean trained = t < rows.get(r).inputLength() && rows.get(r).target(t) != EncodedExample.IGNORE;
                double norm = 0;
                for (int d = 0; d < width; d++) {
                    float g = grad[(int) ((r * steps + t) * width + d)];
                    norm += g * g;
                }
                if (trained) {
                    targets++;
                    assertThat(norm).as("row %d position %d (response)", r, t).isGreaterThan(0);
                } else {
                    assertThat(norm).as("row %d position %d (prompt or padding)", r, t).isZero();
                }
            }
        }
        assertThat(targets).isEqualTo(a.targetCount() + b.targetCount());
    }

    @Test
    void theChunkedCrossEntropyHasTheLossAndTheGradientsOfTheWholeBatchOne() {
        Llama tied = Architectures.randomLlama(LlamaConfig.llama(64, 128, 2, 4, 2, tokenizer.vocabSize(), 512, true),
                Precision.FP32, CPU, 11);
        EncodedExample a = encoder.encode(new AlpacaExample("Name a primary color.", "", "Red, blue or yellow."), 0);
        EncodedExample b = encoder.encode(new AlpacaExample("Translate to French.", "cat", "chat"), 1);
        SequenceBatch batch = SequenceBatch.of(List.of(List.of(a), List.of(b)), BaseModels.padId(tokenizer), false, CPU);
        Tensor head = tied.weights().get("model.embed_tokens.weight").requires_grad_(true);
        Tensor hidden = tied.hiddenStates(batch.inputIds(), batch.positions(), null).detach().requires_grad_(true);

        Tensor flat = hidden.reshape(-1, hidden.size(-1)).index_select(0, batch.targetIndex());
        Tensor whole = torch.cross_entropy_loss(tied.logits(flat), batch.targetIds(), new TensorOptional(), 2, EncodedExample.IGNORE, 0.0);
        whole.backward();
        float[] hiddenGrad = Tensors.toFloats(hidden.grad());
        float[] headGrad = Tensors.toFloats(head.grad());
        for (long chunk : new long[] {1, 5, batch.targetTokens()}) {
            hidden.grad().zero_();
            head.grad().zero_();
            Tensor chunked = TokenLoss.sumOverHidden(tied, hidden, batch, chunk);
            assertThat(chunked.item_double()).as("loss, chunks of %d", chunk).isCloseTo(whole.item_double(), within(1e-4));
            chunked.backward();
            assertClose(Tensors.toFloats(hidden.grad()), hiddenGrad, "hidden states' gradient, chunks of " + chunk);
            assertClose(Tensors.toFloats(head.grad()), headGrad, "head's gradient, chunks of " + chunk);
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            assertThat(TokenLoss.sumOverHidden(tied, hidden, batch, 3).item_double()).isCloseTo(whole.item_double(), within(1e-4));
        }
    }

    /**
     * In bf16 the chunked form takes each target's probability from a bf16 softmax: its loss is within bf16 rounding
     * of fp32 cross-entropy over the same bf16 logits, and its gradients within bf16 rounding of autograd's. A target
     * whose probability underflows (hidden states scaled up until losses reach hundreds of nats) goes through the
     * exact fp32 form.
     */
    @Test
    void inBf16TheChunkedCrossEntropyIsWithinRoundingOfTheFp32OneAndExactWhenProbabilitiesUnderflow() {
        Llama tied = Architectures.randomLlama(LlamaConfig.llama(64, 128, 2, 4, 2, tokenizer.vocabSize(), 512, true),
                Precision.BF16, CPU, 11);
        EncodedExample a = encoder.encode(new AlpacaExample("Name a primary color.", "", "Red, blue or yellow."), 0);
        EncodedExample b = encoder.encode(new AlpacaExample("Translate to French.", "cat", "chat"), 1);
        SequenceBatch batch = SequenceBatch.of(List.of(List.of(a), List.of(b)), BaseModels.padId(tokenizer), false, CPU);
        Tensor head = tied.weights().get("model.embed_tokens.weight").requires_grad_(true);
        Tensor hidden = tied.hiddenStates(batch.inputIds(), batch.positions(), null).detach().requires_grad_(true);
        Tensor flat = hidden.reshape(-1, hidden.size(-1)).index_select(0, batch.targetIndex());
        Tensor whole = torch.cross_entropy_loss(tied.logits(flat).to(org.bytedeco.pytorch.global.torch.ScalarType.Float),
                batch.targetIds(), new TensorOptional(), 2, EncodedExample.IGNORE, 0.0);
        whole.backward();
        float[] hiddenGrad = Tensors.toFloats(hidden.grad().to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
        hidden.grad().zero_();
        Tensor chunked = TokenLoss.sumOverHidden(tied, hidden, batch, 5);
        long tokens = batch.targetTokens();
        assertThat(chunked.item_double() / tokens).isCloseTo(whole.item_double() / tokens, within(2e-3));
        chunked.backward();
        float[] grad = Tensors.toFloats(hidden.grad().to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
        double largest = 0, worst = 0;
        for (int i = 0; i < grad.length; i++) {
            largest = Math.max(largest, Math.abs(hiddenGrad[i]));
            worst = Math.max(worst, Math.abs(grad[i] - hiddenGrad[i]));
        }
        assertThat(worst).as("hidden states' gradient").isLessThan(2e-2 * largest);

        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor loud = hidden.mul(new org.bytedeco.pytorch.Scalar(400.0));
            Tensor loudFlat = loud.reshape(-1, loud.size(-1)).index_select(0, batch.targetIndex());
            double exact = torch.cross_entropy_loss(tied.logits(loudFlat).to(org.bytedeco.pytorch.global.torch.ScalarType.Float),
                    batch.targetIds(), new TensorOptional(), 2, EncodedExample.IGNORE, 0.0).item_double();
            assertThat(exact / tokens).as("losses this large underflow a probability").isGreaterThan(100);
            Tensor leaf = loud.detach().requires_grad_(true);
            try (org.bytedeco.pytorch.AutoGradMode on = new org.bytedeco.pytorch.AutoGradMode(true)) {
                assertThat(TokenLoss.sumOverHidden(tied, leaf, batch, 5).item_double()).isCloseTo(exact, within(1e-4 * exact));
            }
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        double largest = 0;
        for (float value : expected) {
            largest = Math.max(largest, Math.abs(value));
        }
        assertThat(largest).as(what + " is not zero").isGreaterThan(0);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as(what + " at %d", i).isCloseTo(expected[i], within(1e-5 * largest));
        }
    }

    @Test
    void packedExamplesGiveTheSameLossAsUnpackedOnes() {
        EncodedExample a = encoder.encode(new AlpacaExample("Name a primary color.", "", "Red."), 0);
        EncodedExample b = encoder.encode(new AlpacaExample("Translate to French.", "cat", "chat"), 1);
        EncodedExample c = encoder.encode(new AlpacaExample("Count to three.", "", "1, 2, 3."), 2);
        int pad = BaseModels.padId(tokenizer);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            double separate = TokenLoss.sum(model, SequenceBatch.of(List.of(List.of(a), List.of(b), List.of(c)), pad, false, CPU))
                    .item_double();
            double packed = TokenLoss.sum(model, SequenceBatch.of(List.of(List.of(a, b), List.of(c)), pad, true, CPU))
                    .item_double();
            double leaky = TokenLoss.sum(model, SequenceBatch.of(List.of(List.of(a, b), List.of(c)), pad, false, CPU))
                    .item_double();
            assertThat(packed).isCloseTo(separate, within(1e-4 * separate));
            assertThat(Math.abs(leaky - separate)).as("without isolation the second example sees the first").isGreaterThan(1e-3);
        }
    }

    /** A conversation's masks (two replies, each with its end token) survive packing: the loss is that of the examples apart. */
    @Test
    void packedConversationsKeepTheirMasks() {
        ExampleEncoder chat = new ExampleEncoder(ModelPrompt.chat(new ChatTemplate(ZEPHYR, "<s>", "</s>", "test"), tokenizer), 512);
        EncodedExample conversation = chat.encode(new Conversation(List.of(Turn.user("Hi."), Turn.assistant("Hello!"),
                Turn.user("Name a color."), Turn.assistant("Blue.")), null, "messages", 0), 0).get(0);
        EncodedExample single = chat.encode(new AlpacaExample("Count to three.", "", "1, 2, 3."), 1);
        int[] trained = java.util.stream.IntStream.range(0, conversation.tokens().length).filter(i -> conversation.trained()[i])
                .map(i -> conversation.tokens()[i]).toArray();
        assertThat(tokenizer.decode(trained)).isEqualTo("Hello!Blue.");
        assertThat(java.util.Arrays.stream(trained).filter(id -> id == tokenizer.eosId()).count()).as("each reply's EOS").isEqualTo(2);
        int pad = BaseModels.padId(tokenizer);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            SequenceBatch packed = SequenceBatch.of(List.of(List.of(single, conversation)), pad, true, CPU);
            assertThat(packed.targetTokens()).isEqualTo(conversation.targetCount() + single.targetCount());
            double apart = TokenLoss.sum(model, SequenceBatch.of(List.of(List.of(single), List.of(conversation)), pad, false, CPU))
                    .item_double();
            assertThat(TokenLoss.sum(model, packed).item_double()).isCloseTo(apart, within(1e-4 * apart));
        }
    }
}
