package org.instruct4j.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake teacher and judge that answers each kind of request in the form instruct4j's tasks expect, deterministically
 * (from a hash of the request), so that whole evaluation workflows run without an API:
 * <ul>
 *   <li>MT-bench single grading ("[[rating]]"): an explanation, then "Rating: [[r]]", r from 1 to 10;</li>
 *   <li>MT-bench pairwise judging ("[[A]]"): a tie one time in five, otherwise the longer answer three times out of
 *       four, like a judge biased towards length;</li>
 *   <li>the Vicuna protocol (two scores on the first line): the same preference as scores "s1 s2"; for the math prompt,
 *       which asks for a Python tuple, the scores come last as "(s1, s2)", as GPT-4's did;</li>
 *   <li>translations (the translator's system prompt, a JSON object last in the user message): the same object with
 *       every value marked as translated ("译文：" before the original text, so protected text is kept);</li>
 *   <li>anything else: {@link DeterministicResponder}'s answer.</li>
 * </ul>
 */
public final class TaskResponder implements Responder {
    static final TaskResponder INSTANCE = new TaskResponder();
    private static final Pattern VICUNA_ANSWER = Pattern.compile(
            "\\[The Start of Assistant (\\d)'s Answer\\]\\n(.*?)\\n\\n\\[The End of Assistant \\1's Answer\\]", Pattern.DOTALL);
    private static final Pattern PAIR_ANSWER = Pattern.compile(
            "\\[The Start of Assistant ([AB])'s Answer\\]\\n(.*?)\\n\\[The End of Assistant \\1's Answer\\]", Pattern.DOTALL);
    private static final Pattern PAIR_CONVERSATION = Pattern.compile(
            "<\\|The Start of Assistant ([AB])'s Conversation with User\\|>(.*?)<\\|The End of Assistant \\1's Conversation with User\\|>",
            Pattern.DOTALL);

    private TaskResponder() {}

    @Override
    public Reply reply(ChatRequest request) {
        String system = request.messages().isEmpty() ? "" : request.messages().get(0).content();
        String prompt = request.lastUserMessage();
        int hash = Math.floorMod((system + prompt).hashCode(), 1000);
        String content;
        if (system.contains("professional translator")) {
            content = translation(prompt);
        } else if (system.contains("[[rating]]") || prompt.contains("[[rating]]")) {
            content = "The response addresses the question in part.\n\nRating: [[" + (1 + hash % 10) + "]]";
        } else if (system.contains("\"[[A]]\"")) {
            content = "Comparing the two responses.\n\n" + verdict(hash, lengths(prompt, PAIR_CONVERSATION, PAIR_ANSWER), "[[A]]", "[[B]]", "[[C]]");
        } else if (prompt.contains("[The Start of Assistant 1's Answer]")) {
            content = vicuna(hash, prompt);
        } else {
            content = DeterministicResponder.answer(request.model(), request.messages());
        }
        return Reply.of(request, content);
    }

    private static String translation(String prompt) {
        int start = prompt.lastIndexOf("\n\n{");
        if (start < 0) {
            return "（无法翻译）";
        }
        try {
            ObjectNode source = (ObjectNode) Json.MAPPER.readTree(prompt.substring(start + 2));
            ObjectNode translated = Json.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String text = field.getValue().asText();
                translated.put(field.getKey(), text.isEmpty() ? "" : "译文：" + text);
            }
            return Json.MAPPER.writeValueAsString(translated);
        } catch (JsonProcessingException | ClassCastException notAnObject) {
            return "（无法翻译）";
        }
    }

    /** The lengths of the first and second answer in a pairwise prompt ({@code -1} each when there are none). */
    private static int[] lengths(String prompt, Pattern... patterns) {
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(prompt);
            int[] lengths = {-1, -1};
            for (int i = 0; i < 2 && m.find(); i++) {
                lengths[i] = m.group(2).length();
            }
            if (lengths[1] >= 0) {
                return lengths;
            }
        }
        return new int[] {-1, -1};
    }

    private static String verdict(int hash, int[] lengths, String first, String second, String tie) {
        if (hash % 5 == 0 || lengths[0] == lengths[1]) {
            return tie;
        }
        boolean longerWins = hash % 4 != 0;
        return (lengths[0] > lengths[1]) == longerWins ? first : second;
    }

    private static String vicuna(int hash, String prompt) {
        String verdict = verdict(hash, lengths(prompt, VICUNA_ANSWER), "1", "2", "tie");
        int high = 6 + hash % 5;
        int low = 2 + hash % 4;
        String scores = switch (verdict) {
            case "1" -> high + " " + low;
            case "2" -> low + " " + high;
            default -> high + " " + high;
        };
        if (prompt.contains("Python tuple")) {
            return "Let me solve the problem first, then check both answers.\n\nThe scores are (" + scores.replace(" ", ", ") + ").";
        }
        return scores + "\nBoth assistants answered; the explanation follows.";
    }
}
