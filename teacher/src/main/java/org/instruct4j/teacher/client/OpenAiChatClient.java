package org.instruct4j.teacher.client;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Any OpenAI-compatible chat-completions endpoint, through the official OpenAI Java SDK. The SDK's own
 * retries are off: {@link org.instruct4j.teacher.run.JobRunner} retries with one policy for every client.
 */
public final class OpenAiChatClient implements ChatClient {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /**
     * Kept-alive connections the pool holds. OkHttp's default of 5 makes a client with 64 requests in flight
     * open a new connection for most requests (a TCP, and on https a TLS, handshake each). Idle ones still
     * close after OkHttp's default keep-alive.
     */
    private static final int MAX_IDLE_CONNECTIONS = 512;
    private static final Duration KEEP_ALIVE = Duration.ofMinutes(5);

    private final OpenAIClient client;
    private final ApiKey key;
    private final String baseUrl;

    public OpenAiChatClient(String baseUrl, ApiKey key, Duration requestTimeout) {
        this.key = key;
        this.baseUrl = baseUrl;
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(key.value())
                .maxRetries(0)
                .maxIdleConnections(MAX_IDLE_CONNECTIONS)
                .keepAliveDuration(KEEP_ALIVE)
                .timeout(requestTimeout)
                .build();
    }

    /** The SDK client, for the Files and Batches endpoints. */
    public OpenAIClient sdk() {
        return client;
    }

    public ApiKey key() {
        return key;
    }

    @Override
    public ChatReply complete(ChatCall call) throws TeacherException {
        ChatCompletion completion;
        try {
            completion = client.chat().completions().create(toParams(call));
        } catch (OpenAIException e) {
            throw classify(e, key);
        }
        return toReply(completion, call.model());
    }

    /** The request body as the SDK builds it, also used verbatim for Batch API input lines. */
    public static ChatCompletionCreateParams toParams(ChatCall call) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(call.model())
                .temperature(call.sampling().temperature())
                .topP(call.sampling().topP())
                .maxTokens(call.sampling().maxTokens());
        List<String> stop = call.sampling().stop();
        if (!stop.isEmpty()) {
            params.stopOfStrings(stop);
        }
        if (call.sampling().seed() != null) {
            params.seed(call.sampling().seed());
        }
        for (ChatMessage message : call.messages()) {
            switch (message.role()) {
                case SYSTEM -> params.addSystemMessage(message.content());
                case USER -> params.addUserMessage(message.content());
                case ASSISTANT -> params.addAssistantMessage(message.content());
            }
        }
        return params.build();
    }

    /** Reads the first choice of a completion, rejecting replies that carry no usable text. */
    public static ChatReply toReply(ChatCompletion completion, String requestedModel) throws TeacherException {
        try {
            if (completion.choices().isEmpty()) {
                throw TeacherException.retryable("malformed reply: no choices");
            }
            ChatCompletion.Choice choice = completion.choices().get(0);
            String finish = choice.finishReason().asString();
            if ("content_filter".equals(finish)) {
                throw new TeacherException(TeacherException.Kind.REJECTED, "blocked by the server's content filter", null, null);
            }
            String content = choice.message().content().orElse(null);
            if (content == null) {
                throw TeacherException.retryable("malformed reply: the message has no content");
            }
            long prompt = completion.usage().map(u -> u.promptTokens()).orElse(0L);
            long completionTokens = completion.usage().map(u -> u.completionTokens()).orElse(0L);
            String model = completion.model().isBlank() ? requestedModel : completion.model();
            return new ChatReply(content, "length".equals(finish), model, prompt, completionTokens);
        } catch (OpenAIException e) {
            throw TeacherException.retryable("malformed reply: " + e.getMessage());
        }
    }

    /** What a failed SDK call means for the caller (retry, record, stop), its message free of the key. */
    public static TeacherException classify(OpenAIException e, ApiKey key) {
        String message = key.redact(describe(e));
        if (e instanceof UnauthorizedException || e instanceof PermissionDeniedException || e instanceof NotFoundException) {
            return new TeacherException(TeacherException.Kind.FATAL, message, null, null);
        }
        if (e instanceof BadRequestException || e instanceof UnprocessableEntityException) {
            return new TeacherException(TeacherException.Kind.REJECTED, message, null, null);
        }
        if (e instanceof RateLimitException || e instanceof InternalServerException) {
            return new TeacherException(TeacherException.Kind.RETRYABLE, message, retryAfter(((OpenAIServiceException) e).headers()), null);
        }
        if (e instanceof OpenAIServiceException service) {
            int status = service.statusCode();
            boolean transientStatus = status == 408 || status == 409 || status >= 500;
            return new TeacherException(transientStatus ? TeacherException.Kind.RETRYABLE : TeacherException.Kind.REJECTED,
                    message, retryAfter(service.headers()), null);
        }
        // I/O errors, timeouts and unparsable bodies are all worth another attempt.
        return new TeacherException(TeacherException.Kind.RETRYABLE, message, null, null);
    }

    private static String describe(OpenAIException e) {
        if (e instanceof OpenAIServiceException service) {
            return "HTTP " + service.statusCode() + ": " + firstLine(e.getMessage());
        }
        if (e instanceof OpenAIIoException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "I/O error: " + cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
        }
        return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }

    /** Retry-After as seconds, milliseconds (retry-after-ms) or an HTTP date. */
    static Duration retryAfter(Headers headers) {
        List<String> millis = headers.values("retry-after-ms");
        if (!millis.isEmpty()) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(millis.get(0).strip()));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        List<String> values = headers.values("retry-after");
        if (values.isEmpty()) {
            return null;
        }
        String value = values.get(0).strip();
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    @Override
    public String endpointDescription() {
        return withoutCredentials(baseUrl);
    }

    /** A base URL with any user:password part removed, safe for logs and metadata. */
    public static String withoutCredentials(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (Exception e) {
            return "(unparsable base URL)";
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
