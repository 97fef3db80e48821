package org.instruct4j.model.chat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.InferenceModel;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * A {@link PromptFormat} bound to one model: how a conversation becomes the text the model continues (with the
 * generation prompt), the text it is trained on (the conversation with the reply), and their token ids. This is the
 * one place where conversations become prompts, for training, generation, serving and scoring alike.
 * <ul>
 *   <li>alpaca: {@link AlpacaPrompt#renderConversation}, the reply right after "### Response:"; BOS first;</li>
 *   <li>chat: the model's {@link ChatTemplate}, as transformers' apply_chat_template renders it; BOS and the end of
 *       each turn where the template writes them;</li>
 *   <li>raw: the texts joined by blank lines, the reply after another; BOS first.</li>
 * </ul>
 */
public final class ModelPrompt {
    private final PromptFormat format;
    private final ChatTemplate template;
    private final Tokenizer tokenizer;

    private ModelPrompt(PromptFormat format, ChatTemplate template, Tokenizer tokenizer) {
        this.format = format;
        this.template = template;
        this.tokenizer = tokenizer;
    }

    /**
     * The format for a model whose chat template (for {@link PromptFormat#CHAT}) is in {@code model}'s
     * tokenizer_config.json, or in that of the directory of {@code tokenizerFile} (a llama2.c checkpoint's tokenizer);
     * neither is read for the other formats (they may be null).
     */
    public static ModelPrompt of(PromptFormat format, Path model, Path tokenizerFile, Tokenizer tokenizer) {
        return new ModelPrompt(format, format == PromptFormat.CHAT ? chatTemplate(model, tokenizerFile) : null, tokenizer);
    }

    /**
     * The chat template in {@code model}'s tokenizer_config.json, or in that of the directory of {@code tokenizerFile},
     * read without loading the model; a clear error when there is none.
     */
    public static ChatTemplate chatTemplate(Path model, Path tokenizerFile) {
        Path dir = model != null && Files.isDirectory(model) ? model
                : tokenizerFile == null ? null : Files.isDirectory(tokenizerFile) ? tokenizerFile : tokenizerFile.toAbsolutePath().getParent();
        return (dir == null ? Optional.<ChatTemplate>empty() : ChatTemplate.of(dir)).orElseThrow(() -> new BadInputException(
                "--prompt-format chat: " + (dir == null ? model : dir)
                        + " has no tokenizer_config.json with a chat_template; use --prompt-format alpaca or raw"));
    }

    /** The chat format with the given template. */
    public static ModelPrompt chat(ChatTemplate template, Tokenizer tokenizer) {
        return new ModelPrompt(PromptFormat.CHAT, template, tokenizer);
    }

    /** The format for a loaded model, with the chat template of its directory. */
    public static ModelPrompt of(PromptFormat format, LoadedModel model) {
        return of(format, model.source(), null, model.tokenizer());
    }

    /** The format for a model opened for inference, with the chat template of its directory. */
    public static ModelPrompt of(PromptFormat format, InferenceModel model) {
        return of(format, model.source(), null, model.tokenizer());
    }

    public PromptFormat format() {
        return format;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The text the model continues to answer the conversation (which ends with the user's message). */
    public String prompt(List<Turn> conversation) {
        return switch (format) {
            case ALPACA -> AlpacaPrompt.renderConversation(conversation);
            case CHAT -> template.render(conversation, true);
            case RAW -> String.join("\n\n", conversation.stream().map(Turn::content).toList());
        };
    }

    /**
     * The conversation followed by the assistant's {@code reply}: what the model is trained on. It begins with
     * {@link #prompt}, so the prompt's tokens can be masked; a chat template that renders the reply differently is
     * refused.
     */
    public String promptAndReply(List<Turn> conversation, String reply) {
        String prompt = prompt(conversation);
        return switch (format) {
            case ALPACA -> prompt + reply;
            case RAW -> prompt + "\n\n" + reply;
            case CHAT -> {
                List<Turn> withReply = new ArrayList<>(conversation);
                withReply.add(Turn.assistant(reply));
                String full = template.render(withReply, false);
                if (!full.startsWith(prompt)) {
                    throw new BadInputException("the chat template renders a conversation with its reply differently from the"
                            + " conversation before the reply, so the prompt cannot be masked; use --prompt-format alpaca");
                }
                yield full;
            }
        };
    }

    /** Token ids of {@code text}: BOS first for alpaca and raw; for chat the template writes its own special tokens. */
    public int[] encode(String text) {
        return format == PromptFormat.CHAT ? template.encode(text, tokenizer) : tokenizer.encode(text, true);
    }
}
