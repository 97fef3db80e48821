package org.instruct4j.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.instruct4j.core.io.Json;

/** An error answered in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}} with an HTTP status. */
final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Duration retryAfter;

    ApiException(int status, String type, String param, String code, String message) {
        this(status, type, param, code, message, null);
    }

    private ApiException(int status, String type, String param, String code, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message);
    }

    /** 429: the server has no room now; the client should retry after {@code retryAfter}. */
    static ApiException overloaded(String message, Duration retryAfter) {
        return new ApiException(429, "rate_limit_error", null, "rate_limit_exceeded", message, retryAfter);
    }

    /** When the client may try again (a 429's Retry-After), or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return body;
    }
}
