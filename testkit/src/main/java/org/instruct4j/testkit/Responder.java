package org.instruct4j.testkit;

import java.util.function.Function;

/** How the server answers a chat request that no fault intercepts. */
@FunctionalInterface
public interface Responder {

    Reply reply(ChatRequest request);

    /** The default: a deterministic answer a test can recompute, see {@link DeterministicResponder}. */
    static Responder deterministic() {
        return DeterministicResponder.INSTANCE;
    }

    /** Answers each instruct4j task in the form it expects: ratings, verdicts, scores, translations (see {@link TaskResponder}). */
    static Responder tasks() {
        return TaskResponder.INSTANCE;
    }

    /** Answers with the given content, usage counted by {@link TokenCount}. */
    static Responder withContent(Function<ChatRequest, String> content) {
        return request -> Reply.of(request, content.apply(request));
    }
}
