package org.instruct4j.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.instruct4j.core.data.AlpacaExample;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.train.config.Settings;
import org.instruct4j.train.config.TrainingSettings;

/**
 * Tokenizes examples as stanford_alpaca's train.py does: the prompt and the prompt + response are tokenized
 * (BOS first), the prompt's tokens are masked out of the loss and EOS is appended, so the model learns to
 * stop; the whole is cut at {@code maxLength}. The text comes from the run's {@link ModelPrompt}, the one place
 * where conversations become prompts. Where the tokenizer merges across the prompt/response boundary, only the tokens
 * the two encodings share are masked, so no response token is ever masked. A chat template that ends the reply with
 * EOS itself gets no second one; what it renders after that EOS is dropped.
 *
 * <p>A conversation of several turns is, in the chat format, one sequence in which every assistant reply and the end
 * token the template closes it with are trained on (as FastChat and torchtune mask multi-turn data); each reply's
 * tokens are found as the part of the whole conversation's tokens that the conversation up to the reply does not
 * share. The alpaca and raw formats have no end of turn inside a text, so there each reply is an example of its own,
 * asked with the turns before it as the format asks a conversation at inference.
 */
public final class ExampleEncoder {
    private final ModelPrompt prompt;
    private final int eosId;
    private final int maxLength;

    public ExampleEncoder(ModelPrompt prompt, int maxLength) {
        if (prompt.tokenizer().eosId() < 0) {
            throw new BadInputException("the tokenizer has no EOS token; the model could not learn to stop");
        }
        this.prompt = prompt;
        this.eosId = prompt.tokenizer().eosId();
        this.maxLength = maxLength;
    }

    /** The encoder a run asks for: its prompt format (with the base's chat template for chat) and length limit. */
    public static ExampleEncoder of(Settings settings, Tokenizer tokenizer) {
        PromptFormat format = PromptFormat.parse(settings.get(TrainingSettings.PROMPT_FORMAT));
        return new ExampleEncoder(ModelPrompt.of(format, settings.get(TrainingSettings.BASE), settings.get(TrainingSettings.TOKENIZER),
                tokenizer), settings.get(TrainingSettings.MAX_LENGTH));
    }

    public PromptFormat format() {
        return prompt.format();
    }

    /** An instruction and its response, the reply trained on. */
    public EncodedExample encode(AlpacaExample example, long row) {
        List<Turn> turns = List.of(prompt.format().instruction(example.instruction(), example.input()), Turn.assistant(example.output()));
        return encode(new Conversation(turns, null, null, 0), List.of(1), row);
    }

    /** The examples of one conversation: one in the chat format, one per reply in the others. */
    public List<EncodedExample> encode(Conversation conversation, long row) {
        List<Integer> replies = conversation.replies();
        if (prompt.format() == PromptFormat.CHAT) {
            return List.of(encode(conversation, replies, row));
        }
        List<EncodedExample> examples = new ArrayList<>();
        for (int reply : replies) {
            Conversation upToReply = new Conversation(conversation.turns().subList(0, reply + 1), conversation.location(),
                    conversation.field(), conversation.firstElement());
            examples.add(encode(upToReply, List.of(reply), row));
        }
        return examples;
    }

    /** The conversation, which ends with a reply, with the replies at {@code trainedReplies} as its targets. */
    private EncodedExample encode(Conversation conversation, List<Integer> trainedReplies, long row) {
        List<Turn> turns = conversation.turns();
        int last = turns.size() - 1;
        String text = upToReply(conversation, last);
        int[] full = prompt.encode(text);
        boolean[] trained = new boolean[full.length + 1];
        int length = full.length;
        for (int reply : trainedReplies) {
            List<Turn> before = turns.subList(0, reply);
            int start = Math.max(1, shared(prompt.encode(inTurn(conversation, reply, () -> prompt.prompt(before))), full));
            int end = full.length;
            if (reply != last) {
                String upToReply = upToReply(conversation, reply);
                if (!text.startsWith(upToReply)) {
                    throw inTurn(conversation, reply, "the chat template renders this reply differently once later turns follow it, so "
                            + "its tokens cannot be found in the conversation; make the conversation up to it a row of its own");
                }
                end = shared(prompt.encode(upToReply), full);
            }
            int eos = start;
            while (eos < end && full[eos] != eosId) {
                eos++;
            }
            end = eos < end ? eos + 1 : end;
            if (reply == last) {
                // the last reply ends with EOS: the one the chat template closed it with (what follows is dropped), or one added
                length = eos < full.length ? end : full.length + 1;
                end = length;
            }
            Arrays.fill(trained, start, Math.max(start, end), true);
        }
        int[] tokens = Arrays.copyOf(full, length);
        if (length > full.length) {
            tokens[full.length] = eosId;
        }
        boolean truncated = tokens.length > maxLength;
        if (truncated) {
            tokens = Arrays.copyOf(tokens, maxLength);
        }
        return new EncodedExample(tokens, Arrays.copyOf(trained, tokens.length), truncated, row);
    }

    /** The conversation up to the reply at {@code reply}, with that reply. */
    private String upToReply(Conversation conversation, int reply) {
        List<Turn> turns = conversation.turns();
        return inTurn(conversation, reply, () -> prompt.promptAndReply(turns.subList(0, reply), turns.get(reply).content()));
    }

    /** Renders, an error naming the row and the turn when the row has a place in a file. */
    private static String inTurn(Conversation conversation, int turn, Supplier<String> render) {
        try {
            return render.get();
        } catch (BadInputException | IllegalArgumentException e) {
            if (conversation.location() == null) {
                throw e;
            }
            throw inTurn(conversation, turn, e.getMessage());
        }
    }

    private static BadInputException inTurn(Conversation conversation, int turn, String problem) {
        return conversation.location() == null ? new BadInputException(problem)
                : new BadInputException(conversation.location(), conversation.turnField(turn), problem);
    }

    private static int shared(int[] prefix, int[] full) {
        int shared = 0;
        while (shared < Math.min(prefix.length, full.length) && prefix[shared] == full[shared]) {
            shared++;
        }
        return shared;
    }
}
