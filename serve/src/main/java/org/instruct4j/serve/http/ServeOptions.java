package org.instruct4j.serve.http;

import org.instruct4j.core.io.BadInputException;
import org.instruct4j.teacher.client.ApiKey;

/**
 * How the server runs: where it listens, the model id it answers to, the bearer token it requires (null: none),
 * and the limits it enforces on every request.
 */
public record ServeOptions(String host, int port, String modelId, ApiKey apiKey, int defaultMaxTokens,
                           int maxTokensLimit, long maxBodyBytes) {
    public ServeOptions {
        if (defaultMaxTokens < 1 || maxTokensLimit < defaultMaxTokens) {
            throw new BadInputException("need 1 <= default max tokens (" + defaultMaxTokens + ") <= max tokens limit ("
                    + maxTokensLimit + ")");
        }
        if (maxBodyBytes < 1024) {
            throw new BadInputException("the body size limit must be at least 1024 bytes, got " + maxBodyBytes);
        }
    }
}
