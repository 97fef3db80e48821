package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.prompt.AlpacaPrompt;
import org.instruct4j.testkit.DeterministicResponder;
import org.instruct4j.testkit.Reply;

/**
 * Instructions for answer jobs, each with a tag ("[q3]") that names it in the fake server's fault rules, and
 * what the server answers for it. Odd rows have an input, so both Alpaca templates are used.
 */
public final class Questions {
    /** One instruction of the fixture. */
    public record Question(String id, String instruction, String input) {
        public String tag() {
            return "[q" + id.substring(1) + "]";
        }

        /** The user message the teacher receives: the Alpaca prompt. */
        public String prompt() {
            return AlpacaPrompt.render(instruction, input);
        }

        /** The fake server's answer to {@link #prompt()} from {@link FakeTeacher#MODEL}. */
        public String answer() {
            return DeterministicResponder.answer(FakeTeacher.MODEL, prompt());
        }

        /** What the row holds when the server cut the answer at the token limit. */
        public String truncatedAnswer() {
            return new Reply(answer(), "stop", 0, 0).truncated().content().strip();
        }
    }

    private Questions() {}

    /** {@code count} questions with ids r0, r1, ... */
    public static List<Question> make(int count) {
        return IntStream.range(0, count).mapToObj(k -> new Question("r" + k,
                "Explain idea [q" + k + "] to a curious twelve-year-old in two sentences.",
                k % 2 == 1 ? "Idea " + k + ": compound interest, seen from a piggy bank." : "")).toList();
    }

    /** Writes the questions as JSONL rows {id, instruction, input}. */
    public static Path write(Path file, List<Question> questions) {
        return Rows.write(file, questions.stream().map(q -> {
            ObjectNode row = Json.object();
            row.put("id", q.id());
            row.put("instruction", q.instruction());
            row.put("input", q.input());
            return Json.line(row);
        }).toArray(String[]::new));
    }
}
