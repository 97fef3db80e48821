package org.instruct4j.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * A model's chat template: the Jinja string in tokenizer_config.json's {@code chat_template}, rendered with
 * Jinjava the way transformers' apply_chat_template renders it ({@code messages}, {@code bos_token},
 * {@code eos_token}, {@code add_generation_prompt}, {@code raise_exception}; trim_blocks and lstrip_blocks). The
 * templates of Llama 2 and 3, Mistral, Qwen2, Zephyr, ChatML and Gemma render exactly as transformers renders them
 * (tested against its output); a template that uses something Jinjava lacks fails with the renderer's message.
 */
public final class ChatTemplate {
    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final String source;
    private final Jinjava jinjava;

    public ChatTemplate(String template, String bosToken, String eosToken, String source) {
        this.template = template;
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.source = source;
        // transformers renders with trim_blocks and lstrip_blocks, which the templates are written for; Jinjava's nested
        // interpretation would run template code found in a message ("{{ 1 + 1 }}" in a question), which Jinja never does
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(false)
                .withTrimBlocks(true).withLstripBlocks(true).withNestedInterpretationEnabled(false).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                "raiseException", String.class));
    }

    /** The template of the model directory {@code dir}, if its tokenizer_config.json has one. */
    public static Optional<ChatTemplate> of(Path dir) {
        Path file = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode config = new ObjectMapper().readTree(file.toFile());
            JsonNode template = config.get("chat_template");
            if (template == null || !template.isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new ChatTemplate(template.asText(), tokenText(config.get("bos_token")),
                    tokenText(config.get("eos_token")), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String tokenText(JsonNode token) {
        if (token == null || token.isNull()) {
            return null;
        }
        return token.isTextual() ? token.asText() : token.path("content").asText(null);
    }

    /** Called by templates as raise_exception('...'). */
    public static String raiseException(String message) {
        throw new BadInputException("chat template: " + message);
    }

    /** The conversation as text; with {@code addGenerationPrompt} it ends where the assistant's reply begins. */
    public String render(List<Turn> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Turn m : messages) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", m.role());
            message.put("content", m.content());
            list.add(message);
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", list);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = jinjava.renderForResult(template, context);
        if (result.hasErrors()) {
            for (Throwable cause = result.getErrors().get(0).getException(); cause != null; cause = cause.getCause()) {
                if (cause instanceof BadInputException raised && raised.getMessage().startsWith("chat template: ")) {
                    throw new BadInputException(source + ": " + raised.getMessage(), raised);
                }
            }
            throw new BadInputException(source + ": chat_template does not render: " + result.getErrors().get(0).getMessage());
        }
        return result.getOutput();
    }

    /**
     * Token ids of rendered text, with the BOS and EOS token strings the template writes turned into their ids
     * (the tokenizers here encode plain text only) and the text between them encoded without BOS.
     */
    public int[] encode(String rendered, Tokenizer tokenizer) {
        List<Integer> ids = new ArrayList<>();
        int start = 0;
        while (start < rendered.length()) {
            int bos = bosToken.isEmpty() ? -1 : rendered.indexOf(bosToken, start);
            int eos = eosToken.isEmpty() ? -1 : rendered.indexOf(eosToken, start);
            int next = bos < 0 ? eos : eos < 0 ? bos : Math.min(bos, eos);
            int end = next < 0 ? rendered.length() : next;
            if (end > start) {
                for (int id : tokenizer.encode(rendered.substring(start, end), false)) {
                    ids.add(id);
                }
            }
            if (next < 0) {
                break;
            }
            boolean isBos = next == bos;
            ids.add(isBos ? tokenizer.bosId() : tokenizer.eosId());
            start = next + (isBos ? bosToken : eosToken).length();
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
