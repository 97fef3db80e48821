package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** An error answered in the OpenAI error shape {@code {"error": {message, type, param, code}}}. */
final class ApiError extends RuntimeException {
    final int status;
    final String type;
    final String param;
    final String code;
    final OptionalLong retryAfterMillis;

    ApiError(int status, String message, String type, String param, String code, OptionalLong retryAfterMillis) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterMillis = retryAfterMillis;
    }

    static ApiError invalidRequest(String message, String param) {
        return new ApiError(400, message, "invalid_request_error", param, null, OptionalLong.empty());
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message, "invalid_request_error", null, null, OptionalLong.empty());
    }

    static ApiError conflict(String message) {
        return new ApiError(409, message, "invalid_request_error", null, null, OptionalLong.empty());
    }

    static ApiError internal(String message) {
        return new ApiError(500, message, "server_error", null, null, OptionalLong.empty());
    }

    static ApiError unauthorized() {
        // Never echo the key that was sent: keys must not reach logs or error messages.
        return new ApiError(401, "Incorrect API key provided. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.",
                "invalid_request_error", null, "invalid_api_key", OptionalLong.empty());
    }

    static ApiError rateLimited(long retryAfterMillis) {
        return new ApiError(429, "Rate limit reached for requests per minute. Please try again in "
                + retryAfterMillis + "ms.", "requests", null, "rate_limit_exceeded", OptionalLong.of(retryAfterMillis));
    }

    /** The error for an injected status fault, with the type and code OpenAI uses for that status. */
    static ApiError of(Fault.Status fault) {
        int status = fault.code();
        String type = status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
        String code = status == 429 ? "rate_limit_exceeded" : null;
        OptionalInt seconds = fault.retryAfterSeconds();
        OptionalLong millis = seconds.isPresent() ? OptionalLong.of(seconds.getAsInt() * 1000L) : OptionalLong.empty();
        return new ApiError(status, fault.message(), type, null, code, millis);
    }

    ObjectNode body() {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("error", error);
        return body;
    }
}
