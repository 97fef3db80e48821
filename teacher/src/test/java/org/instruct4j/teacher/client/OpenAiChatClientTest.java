package org.instruct4j.teacher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.Headers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessage;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.instruct4j.teacher.run.FakeTeacher;
import org.instruct4j.testkit.ChatRequest;
import org.instruct4j.testkit.DeterministicResponder;
import org.instruct4j.testkit.Fault;
import org.instruct4j.testkit.Reply;
import org.instruct4j.testkit.TokenCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiChatClientTest {
    private static final String PROMPT = "Name the largest planet of the solar system.";
    private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.system("Be brief."), ChatMessage.user(PROMPT));
    private static final List<ChatRequest.Message> SENT = List.of(ChatRequest.Message.system("Be brief."), ChatRequest.Message.user(PROMPT));

    private final FakeTeacher teacher = FakeTeacher.start();

    @AfterEach
    void stop() {
        teacher.close();
    }

    private static ChatCall call() {
        return new ChatCall(FakeTeacher.MODEL, MESSAGES, new Sampling(0.5, 0.9, 64, List.of("###", "\n20")));
    }

    private TeacherException failure(ChatClient client) {
        try {
            client.complete(call());
        } catch (TeacherException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void sendsTheCallAndReadsTheReply() throws TeacherException {
        ChatReply reply = teacher.client().complete(call());

        String expected = DeterministicResponder.answer(FakeTeacher.MODEL, SENT);
        assertThat(reply).isEqualTo(new ChatReply(expected, false, FakeTeacher.MODEL,
                TokenCount.promptTokens(SENT), TokenCount.completionTokens(expected)));
        ChatRequest sent = teacher.server().log().requests().getFirst();
        assertThat(sent.messages()).isEqualTo(SENT);
        assertThat(sent.model()).isEqualTo(FakeTeacher.MODEL);
        assertThat(sent.temperature()).isEqualTo(0.5);
        assertThat(sent.topP()).isEqualTo(0.9);
        assertThat(sent.maxTokens()).isEqualTo(64);
        assertThat(sent.stop()).containsExactly("###", "\n20");
        assertThat(teacher.server().log().authorizationHeaders()).containsExactly("Bearer " + FakeTeacher.API_KEY);
    }

    @Test
    void noStopSequencesSendsNoStopField() throws TeacherException {
        teacher.client().complete(new ChatCall(FakeTeacher.MODEL, MESSAGES, Sampling.PAPER_DEFAULTS));

        ChatRequest sent = teacher.server().log().requests().getFirst();
        assertThat(sent.raw().has("stop")).isFalse();
        assertThat(sent.temperature()).isEqualTo(1.0);
        assertThat(sent.topP()).isEqualTo(1.0);
        assertThat(sent.maxTokens()).isEqualTo(512);
    }

    @Test
    void replyCutByTheTokenLimitIsKeptAndMarked() throws TeacherException {
        teacher.server().faults().failNext(1, Fault.truncated());

        ChatReply reply = teacher.client().complete(call());

        String full = DeterministicResponder.answer(FakeTeacher.MODEL, SENT);
        assertThat(reply.truncated()).isTrue();
        assertThat(reply.content()).isEqualTo(new Reply(full, "stop", 0, 0).truncated().content());
        assertThat(reply.completionTokens()).isEqualTo(TokenCount.completionTokens(reply.content()));
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Fault.status(500), TeacherException.Kind.RETRYABLE),
                Arguments.of(Fault.status(502), TeacherException.Kind.RETRYABLE),
                Arguments.of(Fault.status(503), TeacherException.Kind.RETRYABLE),
                Arguments.of(Fault.status(408), TeacherException.Kind.RETRYABLE),
                Arguments.of(Fault.status(409), TeacherException.Kind.RETRYABLE),
                Arguments.of(Fault.malformedJson(), TeacherException.Kind.RETRYABLE),
                Arguments.of(Fault.dropConnection(), TeacherException.Kind.RETRYABLE),
                Arguments.of(Fault.status(400), TeacherException.Kind.REJECTED),
                Arguments.of(Fault.status(413), TeacherException.Kind.REJECTED),
                Arguments.of(Fault.status(422), TeacherException.Kind.REJECTED),
                Arguments.of(Fault.status(401), TeacherException.Kind.FATAL),
                Arguments.of(Fault.status(403), TeacherException.Kind.FATAL),
                Arguments.of(Fault.status(404), TeacherException.Kind.FATAL));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void classifiesEveryFault(Fault fault, TeacherException.Kind kind) throws TeacherException {
        teacher.server().faults().failNext(1, fault);

        TeacherException e = failure(teacher.client());

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).doesNotContain(FakeTeacher.API_KEY);
        if (fault instanceof Fault.Status status) {
            assertThat(e.getMessage()).startsWith("HTTP " + status.code());
        }
        assertThat(teacher.client().complete(call()).content()).startsWith("Answer ");
    }

    @Test
    void rateLimitCarriesRetryAfter() {
        teacher.server().faults().failNext(1, Fault.rateLimited(3));

        TeacherException e = failure(teacher.client());

        assertThat(e.kind()).isEqualTo(TeacherException.Kind.RETRYABLE);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(e.getMessage()).startsWith("HTTP 429");
    }

    @Test
    void serverErrorWithoutRetryAfterHasNone() {
        teacher.server().faults().failNext(1, Fault.status(503));

        assertThat(failure(teacher.client()).retryAfter()).isEmpty();
    }

    @Test
    void requestHangingBeyondTheTimeoutIsRetryable() {
        teacher.server().faults().failNext(1, Fault.hang(Duration.ofSeconds(20)));
        try (OpenAiChatClient impatient = teacher.clientWithKey(FakeTeacher.API_KEY, Duration.ofMillis(400))) {
            TeacherException e = failure(impatient);

            assertThat(e.kind()).isEqualTo(TeacherException.Kind.RETRYABLE);
            assertThat(e.getMessage()).containsIgnoringCase("timeout");
        }
    }

    @Test
    void contentFilterIsRejectedNotRetried() {
        teacher.server().responder(request -> new Reply("", "content_filter", 10, 0));

        TeacherException e = failure(teacher.client());

        assertThat(e.kind()).isEqualTo(TeacherException.Kind.REJECTED);
        assertThat(e.getMessage()).contains("content filter");
    }

    @Test
    void replyWithoutChoicesOrContentIsMalformed() {
        ChatCompletion noChoices = completion(List.of());
        ChatCompletion noContent = completion(List.of(ChatCompletion.Choice.builder()
                .index(0)
                .finishReason(ChatCompletion.Choice.FinishReason.STOP)
                .logprobs(Optional.empty())
                .message(ChatCompletionMessage.builder().content(Optional.empty()).refusal(Optional.empty()).build())
                .build()));

        assertThatThrownBy(() -> OpenAiChatClient.toReply(noChoices, FakeTeacher.MODEL))
                .isInstanceOfSatisfying(TeacherException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TeacherException.Kind.RETRYABLE);
                    assertThat(e.getMessage()).contains("no choices");
                });
        assertThatThrownBy(() -> OpenAiChatClient.toReply(noContent, FakeTeacher.MODEL))
                .isInstanceOfSatisfying(TeacherException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TeacherException.Kind.RETRYABLE);
                    assertThat(e.getMessage()).contains("no content");
                });
    }

    private static ChatCompletion completion(List<ChatCompletion.Choice> choices) {
        return ChatCompletion.builder().id("chatcmpl-1").created(0).model(FakeTeacher.MODEL).choices(choices).build();
    }

    @Test
    void wrongKeyIsFatalAndNeitherKeyIsEchoed() {
        String wrong = "sk-wrong-0123456789abcdef0123456789abcdef";
        try (OpenAiChatClient client = teacher.clientWithKey(wrong, Duration.ofSeconds(10))) {
            TeacherException e = failure(client);

            assertThat(e.kind()).isEqualTo(TeacherException.Kind.FATAL);
            assertThat(e.getMessage()).startsWith("HTTP 401").doesNotContain(wrong).doesNotContain(FakeTeacher.API_KEY);
        }
    }

    @Test
    void keyEchoedByTheServerIsRedacted() {
        teacher.server().faults().failNext(1, Fault.status(500, OptionalInt.empty(),
                "upstream rejected key " + FakeTeacher.API_KEY + " for this project"));

        TeacherException e = failure(teacher.client());

        assertThat(e.getMessage()).doesNotContain(FakeTeacher.API_KEY).contains("<" + FakeTeacher.KEY_VARIABLE + ">");
    }

    @Test
    void retryAfterInEveryForm() {
        assertThat(OpenAiChatClient.retryAfter(headers("retry-after-ms", "1500"))).isEqualTo(Duration.ofMillis(1500));
        assertThat(OpenAiChatClient.retryAfter(headers("Retry-After", "2"))).isEqualTo(Duration.ofSeconds(2));
        assertThat(OpenAiChatClient.retryAfter(headers("Retry-After", "0.25"))).isEqualTo(Duration.ofMillis(250));
        assertThat(OpenAiChatClient.retryAfter(Headers.builder().put("retry-after-ms", "soon").put("Retry-After", "4").build()))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(OpenAiChatClient.retryAfter(headers("Retry-After", "whenever"))).isNull();
        assertThat(OpenAiChatClient.retryAfter(Headers.builder().build())).isNull();
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5));
        assertThat(OpenAiChatClient.retryAfter(headers("Retry-After", past))).isEqualTo(Duration.ZERO);
        String future = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(5));
        assertThat(OpenAiChatClient.retryAfter(headers("Retry-After", future)))
                .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
    }

    private static Headers headers(String name, String value) {
        return Headers.builder().put(name, value).build();
    }

    @Test
    void endpointDescriptionNeverHoldsCredentials() {
        assertThat(OpenAiChatClient.withoutCredentials("https://user:s3cret@proxy.example.com:8443/v1"))
                .isEqualTo("https://proxy.example.com:8443/v1");
        assertThat(OpenAiChatClient.withoutCredentials("http://127.0.0.1:8000/v1")).isEqualTo("http://127.0.0.1:8000/v1");
        assertThat(teacher.client().endpointDescription()).isEqualTo(teacher.server().baseUrl());
    }
}
