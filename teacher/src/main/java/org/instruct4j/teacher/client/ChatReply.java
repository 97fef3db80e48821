package org.instruct4j.teacher.client;

/**
 * The teacher's answer to one call. {@code truncated} is true when the server stopped at the token
 * limit (finish_reason "length"): the text is kept but marked.
 */
public record ChatReply(String content, boolean truncated, String model, long promptTokens, long completionTokens) {}
