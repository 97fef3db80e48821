package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.PromptFormat;
import org.instruct4j.core.prompt.Turn;
import org.instruct4j.eval.answer.QuestionMessages;
import org.instruct4j.model.LoadedModel;
import org.instruct4j.model.ModelDirectory;
import org.instruct4j.model.chat.ModelPrompt;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One prompt format from training to answering: a student fine-tuned with --prompt-format chat records it, and
 * eval answer, generate-text and serve then prompt it with its own chat template without being told.
 */
class PromptFormatCommandsTest {
    static final String ZEPHYR = "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n"
            + "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
            + "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
            + "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

    @TempDir
    Path dir;

    /** stories260K's tokenizer with a tokenizer_config.json holding a chat template, as a chat model's directory has it. */
    Path chatTokenizer() throws IOException {
        Path tokenizerDir = Files.createDirectories(dir.resolve("tokenizer"));
        Files.copy(SharedData.path("models/stories260K/tok512.bin"), tokenizerDir.resolve("tokenizer.bin"));
        Files.writeString(tokenizerDir.resolve("tokenizer_config.json"), Json.object().put("bos_token", "<s>").put("eos_token", "</s>")
                .put("chat_template", ZEPHYR).toPrettyString());
        return tokenizerDir.resolve("tokenizer.bin");
    }

    @Test
    void aStudentTrainedInTheChatFormatIsAnsweredInIt() throws IOException {
        Path data = dir.resolve("data.json");
        Files.writeString(data, "[{\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"Hi!\"},"
                + " {\"instruction\": \"Name a color.\", \"input\": \"\", \"output\": \"Blue.\"}]");
        Path student = dir.resolve("student");
        CliRun trained = CliRun.of("train", "sft", "--base", SharedData.path("models/stories260K/stories260K.bin").toString(),
                "--tokenizer", chatTokenizer().toString(), "--data", data.toString(), "--output", student.toString(),
                "--prompt-format=chat", "--precision=fp32", "--batch-size=2", "--micro-batch-size=2", "--max-steps=2", "--lr=1e-3",
                "--quiet");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(PromptFormat.recordedIn(student)).contains(PromptFormat.CHAT);
        assertThat(student.resolve("tokenizer_config.json")).exists();
        assertThat(Files.readString(student.resolve("sft_config.yaml"))).contains("prompt_format: \"chat\"");

        Path questions = Files.writeString(dir.resolve("questions.jsonl"),
                "{\"question_id\": 1, \"text\": \"Name a color.\", \"category\": \"generic\"}\n");
        Path answers = dir.resolve("answers.jsonl");
        CliRun answered = CliRun.of("eval", "answer", "--questions", questions.toString(), "--output", answers.toString(),
                "--model-id", "student", "--local-model", student.toString(), "--temperature", "0", "--max-tokens", "12", "--quiet");
        assertThat(answered.exitCode()).as(answered.err()).isZero();
        JsonNode answer = Json.MAPPER.readTree(Files.readAllLines(answers).get(0));
        assertThat(answer.get("metadata").get("prompt_format").asText()).isEqualTo("chat");

        LoadedModel loaded = ModelDirectory.load(student);
        ModelPrompt chat = ModelPrompt.of(PromptFormat.defaultFor(student), loaded);
        assertThat(chat.format()).isEqualTo(PromptFormat.CHAT);
        List<Turn> asked = QuestionMessages.of(PromptFormat.CHAT, org.instruct4j.eval.qa.QuestionFile.read(questions).get(0), List.of(),
                org.instruct4j.teacher.tasks.Language.EN).stream().map(ChatMessage::turn).toList();
        String expected = loaded.generator().generateFromIds(new int[][] {chat.encode(chat.prompt(asked))}, GenerationConfig.greedy(12))
                .get(0).text().strip();
        assertThat(answer.get("text").asText()).isEqualTo(expected);

        CliRun generated = CliRun.of("generate-text", "--model", student.toString(), "--prompt", "Name a color.", "--max-new-tokens", "12");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        String direct = loaded.generator().generateFromIds(new int[][] {chat.encode(chat.prompt(List.of(Turn.user("Name a color."))))},
                GenerationConfig.greedy(12)).get(0).text();
        assertThat(generated.out().strip()).isEqualTo(direct.strip());
    }

    /** ShareGPT and messages rows train in the chat format, packed; a turn out of order is exit 2 naming row and turn. */
    @Test
    void conversationsTrainInTheChatFormatAndABadTurnIsNamed() throws IOException {
        String rows = """
                {"conversations": [{"from": "human", "value": "Hi!"}, {"from": "gpt", "value": "Hello."}, \
                {"from": "human", "value": "Name a color."}, {"from": "gpt", "value": "Blue."}]}
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hi."}, \
                {"role": "assistant", "content": "Hi!"}]}
                """;
        Path data = Files.writeString(dir.resolve("chats.jsonl"), rows);
        Path student = dir.resolve("student");
        String[] train = {"train", "sft", "--base", SharedData.path("models/stories260K/stories260K.bin").toString(), "--tokenizer",
                chatTokenizer().toString(), "--data", data.toString(), "--output", student.toString(), "--prompt-format=chat",
                "--packing", "--precision=fp32", "--batch-size=2", "--micro-batch-size=2", "--max-steps=2", "--quiet"};
        CliRun trained = CliRun.of(train);
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(Files.readString(student.resolve("train_summary.json"))).contains("2 rows: 2 examples for training");

        Files.writeString(data, rows + "{\"conversations\": [{\"from\": \"gpt\", \"value\": \"Hello.\"}]}\n");
        Path other = dir.resolve("other");
        train[9] = other.toString();
        CliRun bad = CliRun.of(train);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains(data + ":3: field \"conversations[0].from\": the conversation must begin with the user");
        assertThat(other).doesNotExist();
    }
}
