package org.instruct4j.teacher.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Optional;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;

/**
 * The prompt tokens a chat call will be billed for, before it is sent: OpenAI's own byte-pair encodings (o200k_base
 * for the GPT-4o, GPT-4.1 and o-series families, cl100k_base for GPT-4 and GPT-3.5) plus the few tokens each message
 * adds, as OpenAI's cookbook counts them; for other models, which have other tokenizers, about 4 characters a token.
 * Thread-safe.
 */
public final class TokenCounter {
    /** Tokens every message adds around its content (role and separators), and the priming of the reply. */
    private static final int PER_MESSAGE = 3;
    private static final int REPLY_PRIMING = 3;
    private static final List<String> O200K_FAMILIES = List.of("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4");
    private static final List<String> CL100K_FAMILIES = List.of("gpt-4", "gpt-3.5");
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    /** The prompt tokens of {@code call}. */
    public long promptTokens(ChatCall call) {
        Optional<Encoding> encoding = encodingOf(call.model());
        if (encoding.isEmpty()) {
            return call.estimatedPromptTokens();
        }
        long tokens = REPLY_PRIMING;
        for (ChatMessage message : call.messages()) {
            tokens += PER_MESSAGE + encoding.get().countTokensOrdinary(message.content());
        }
        return tokens;
    }

    /** Whether {@code model}'s tokens are counted exactly rather than estimated from its characters. */
    public boolean exact(String model) {
        return encodingOf(model).isPresent();
    }

    private static Optional<Encoding> encodingOf(String model) {
        if (inFamily(model, O200K_FAMILIES)) {
            return Optional.of(REGISTRY.getEncoding(EncodingType.O200K_BASE));
        }
        if (inFamily(model, CL100K_FAMILIES)) {
            return Optional.of(REGISTRY.getEncoding(EncodingType.CL100K_BASE));
        }
        return Optional.empty();
    }

    private static boolean inFamily(String model, List<String> families) {
        return families.stream().anyMatch(f -> model.equals(f) || model.startsWith(f + "-"));
    }
}
