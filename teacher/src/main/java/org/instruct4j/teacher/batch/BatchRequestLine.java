package org.instruct4j.teacher.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import java.nio.charset.StandardCharsets;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.run.WorkItem;

/**
 * One line of a Batch API input file: {@code {custom_id, method, url, body}}. The body is the SDK's own
 * serialisation of {@link OpenAiChatClient#toParams}, so a batched request is byte for byte the request
 * the live path would send.
 */
final class BatchRequestLine {
    static final String ENDPOINT = "/v1/chat/completions";

    private BatchRequestLine() {}

    /** The line as UTF-8 bytes, without the newline. */
    static byte[] of(WorkItem<?> item) {
        ObjectNode line = Json.object();
        line.put("custom_id", item.id());
        line.put("method", "POST");
        line.put("url", ENDPOINT);
        line.set("body", ObjectMappers.jsonMapper().valueToTree(OpenAiChatClient.toParams(item.call())._body()));
        return Json.line(line).getBytes(StandardCharsets.UTF_8);
    }
}
