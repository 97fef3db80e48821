package org.instruct4j.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.model.chat.ChatTemplate;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.model.tokenizer.Tokenizers;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-turn SFT rows: ShareGPT and messages rows become conversations, and in the chat format exactly the tokens of
 * the assistant's replies and the end token closing each are trained on, checked token by token against what the chat
 * template renders.
 */
class ConversationMaskTest {
    private static final Tokenizer TOKENIZER = Tokenizers.load(SharedData.path("models/llama2_tokenizer/tokenizer.model"));
    /** TinyLlama's (Zephyr's) template, with the generation prompt's newline that Zephyr itself writes. */
    static final String ZEPHYR = "{% for message in messages %}{% if message['role'] == 'user' %}{{ '<|user|>\n' + message['content'] + eos_token }}\n"
            + "{% elif message['role'] == 'system' %}{{ '<|system|>\n' + message['content'] + eos_token }}\n"
            + "{% else %}{{ '<|assistant|>\n' + message['content'] + eos_token }}\n{% endif %}"
            + "{% if loop.last and add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}{% endfor %}";
    /** meta-llama/Llama-2-7b-chat-hf's template: BOS before every user turn, the system prompt inside the first. */
    static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
            + "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}"
            + "{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
            + "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n'"
            + " + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
            + "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
            + "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
    private static final List<String> REPLIES = List.of("Hello Ada! How can I help you today?", "Your name is Ada.", "Blue, red and green.");

    @TempDir
    Path dir;

    Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    List<Conversation> read(Path file, PromptFormat format) {
        return Datasets.readAll(file, row -> Conversation.read(row, format));
    }

    @Test
    void shareGptAndMessagesRowsAreTheSameConversation() throws IOException {
        Path shareGpt = file("sharegpt.json", """
                [{"id": "a", "system": "Be brief.", "conversations": [{"from": "human", "value": "Hi, I am Ada."},
                  {"from": "gpt", "value": "Hello Ada! How can I help you today?"}, {"from": "human", "value": "What is my name?"},
                  {"from": "gpt", "value": "Your name is Ada."}]}]""");
        Path messages = file("messages.jsonl", """
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi, I am Ada."}, \
                {"role": "assistant", "content": "Hello Ada! How can I help you today?"}, {"role": "user", "content": "What is my name?"}, \
                {"role": "assistant", "content": "Your name is Ada."}]}
                """);
        List<Turn> expected = List.of(Turn.system("Be brief."), Turn.user("Hi, I am Ada."), Turn.assistant(REPLIES.get(0)),
                Turn.user("What is my name?"), Turn.assistant(REPLIES.get(1)));
        Conversation fromShareGpt = read(shareGpt, PromptFormat.CHAT).get(0);
        assertThat(fromShareGpt.turns()).isEqualTo(expected);
        assertThat(read(messages, PromptFormat.CHAT).get(0).turns()).isEqualTo(expected);
        assertThat(fromShareGpt.replies()).containsExactly(2, 4);
        assertThat(fromShareGpt.turnField(0)).isEqualTo("system");
        assertThat(fromShareGpt.turnField(4)).isEqualTo("conversations[3]");
        Path alpaca = file("alpaca.json", "[{\"instruction\": \"Translate.\", \"input\": \"Hola\", \"output\": \"Hello\"}]");
        assertThat(read(alpaca, PromptFormat.ALPACA).get(0).turns())
                .containsExactly(Turn.user(AlpacaPrompt.render("Translate.", "Hola")), Turn.assistant("Hello"));
    }

    @Test
    void badTurnsAreNamedByRowAndTurn() throws IOException {
        assertBad("{\"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}, {\"from\": \"robot\", \"value\": \"Hello\"}]}",
                ":2: field \"conversations[1].from\": unknown from \"robot\"; expected human, gpt or system");
        assertBad("{\"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}, {\"from\": \"human\", \"value\": \"Hello?\"}]}",
                ":2: field \"conversations[1].from\": expected a turn of the assistant (user and assistant take turns), got \"human\"");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}, "
                + "{\"role\": \"user\", \"content\": \"Bye\"}]}", ":2: field \"messages[2]\": the conversation must end with the assistant's reply");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"tool\", \"content\": \"{}\"}]}",
                ":2: field \"messages[1].role\": unknown role \"tool\"; expected system, user or assistant");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"system\", \"content\": \"x\"}]}",
                ":2: field \"messages[1].role\": a system prompt can only be the first turn");
        assertBad("{\"messages\": [{\"role\": \"assistant\", \"content\": \"Hi\"}]}",
                ":2: field \"messages[0].role\": the conversation must begin with the user (after an optional system prompt)");
        assertBad("{\"conversations\": [{\"from\": \"human\", \"value\": 3}]}", ":2: field \"conversations[0].value\": expected a string, got a number");
        assertBad("{\"conversations\": []}", ":2: field \"conversations\": expected a non-empty array, got []");
    }

    private void assertBad(String row, String message) throws IOException {
        Path data = file("bad.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": \"ok\"}, {\"role\": \"assistant\", \"content\": \"ok\"}]}\n"
                + row + "\n");
        assertThatThrownBy(() -> read(data, PromptFormat.CHAT)).isInstanceOf(BadInputException.class)
                .hasMessage(data + message);
    }

    @Test
    void onlyTheRepliesAndTheirEndTokensAreTrainedOnTokenByToken() {
        List<Turn> turns = List.of(Turn.system("You are a helpful assistant."), Turn.user("Hi, I am Ada."), Turn.assistant(REPLIES.get(0)),
                Turn.user("What is my name?"), Turn.assistant(REPLIES.get(1)), Turn.user("Name three colors."), Turn.assistant(REPLIES.get(2)));
        for (String template : List.of(ZEPHYR, LLAMA2)) {
            ChatTemplate chat = new ChatTemplate(template, "<s>", "</s>", "test");
            ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.chat(chat, TOKENIZER), 512);
            List<EncodedExample> encoded = encoder.encode(new Conversation(turns, null, "messages", 0), 7);
            assertThat(encoded).singleElement().satisfies(example -> {
                assertThat(example.row()).isEqualTo(7);
                assertThat(example.tokens()).as("the conversation as the template renders it, ending with the last reply's EOS")
                        .isEqualTo(chat.encode(chat.render(turns, false).stripTrailing(), TOKENIZER));
                assertThat(example.trained()).as(template).containsExactly(expectedMask(example.tokens()));
                assertThat(example.targetCount()).isEqualTo(count(expectedMask(example.tokens())));
            });
        }
    }

    /**
     * What the template renders, seen token by token: a token is trained on when its text lies in one of the replies,
     * or it is the whitespace or EOS that closes a reply before the next turn; BOS, system, user turns and role markers
     * are not.
     */
    private static boolean[] expectedMask(int[] tokens) {
        String decoded = TOKENIZER.decode(tokens);
        List<int[]> replies = new ArrayList<>();
        int from = 0;
        for (String reply : REPLIES) {
            int at = decoded.indexOf(reply, from);
            assertThat(at).as("reply \"%s\" in the decoded conversation", reply).isNotNegative();
            replies.add(new int[] {at, at + reply.length()});
            from = at + reply.length();
        }
        boolean[] mask = new boolean[tokens.length];
        boolean inReply = false;
        String before = "";
        for (int i = 0; i < tokens.length; i++) {
            String after = TOKENIZER.decode(Arrays.copyOf(tokens, i + 1));
            assertThat(after).startsWith(before);
            int start = before.length(), end = after.length();
            boolean overlapsReply = replies.stream().anyMatch(r -> start < r[1] && end > r[0]);
            boolean closesReply = inReply && (tokens[i] == TOKENIZER.eosId() || after.substring(start).isBlank() && end > start);
            mask[i] = overlapsReply || closesReply;
            inReply = mask[i] && tokens[i] != TOKENIZER.eosId();
            before = after;
        }
        return mask;
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    @Test
    void inTheAlpacaFormatEachReplyIsAnExampleAskedWithTheTurnsBeforeIt() {
        List<Turn> turns = List.of(Turn.user("Hi, I am Ada."), Turn.assistant(REPLIES.get(0)), Turn.user("What is my name?"),
                Turn.assistant(REPLIES.get(1)));
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.of(PromptFormat.ALPACA, null, null, TOKENIZER), 512);
        List<EncodedExample> examples = encoder.encode(new Conversation(turns, null, "conversations", 0), 3);
        assertThat(examples).hasSize(2);
        EncodedExample second = examples.get(1);
        String prompt = AlpacaPrompt.render("What is my name?", "User: Hi, I am Ada.\nAssistant: " + REPLIES.get(0));
        assertThat(TOKENIZER.decode(Arrays.copyOf(second.tokens(), second.promptTokens()))).isEqualTo(prompt);
        assertThat(TOKENIZER.decode(Arrays.copyOfRange(second.tokens(), second.promptTokens(), second.tokens().length)))
                .isEqualTo(REPLIES.get(1));
        assertThat(second.target(second.inputLength() - 1)).isEqualTo(TOKENIZER.eosId());
    }

    @Test
    void aTemplateThatRewritesEarlierRepliesIsNamedByRowAndTurn() throws IOException {
        // like Qwen3's, which drops the reasoning of earlier replies: the first reply is not in the whole conversation as it is alone
        String rewriting = "{% for m in messages %}{% if m['role'] == 'assistant' and not loop.last %}<|a|>(earlier)</s>"
                + "{% elif m['role'] == 'assistant' %}<|a|>{{ m['content'] }}</s>{% else %}<|u|>{{ m['content'] }}</s>{% endif %}{% endfor %}"
                + "{% if add_generation_prompt %}<|a|>{% endif %}";
        ExampleEncoder encoder = new ExampleEncoder(ModelPrompt.chat(new ChatTemplate(rewriting, "<s>", "</s>", "test"), TOKENIZER), 512);
        Path data = file("data.jsonl", "{\"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}, {\"from\": \"gpt\", \"value\": \"Hello\"},"
                + " {\"from\": \"human\", \"value\": \"Bye\"}, {\"from\": \"gpt\", \"value\": \"Bye!\"}]}\n");
        Conversation conversation = read(data, PromptFormat.CHAT).get(0);
        assertThatThrownBy(() -> encoder.encode(conversation, 0)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(data + ":1: field \"conversations[1]\": the chat template renders this reply differently");
    }
}
