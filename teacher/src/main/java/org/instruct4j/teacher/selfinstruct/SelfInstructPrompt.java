package org.instruct4j.teacher.selfinstruct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpaca's Self-Instruct prompt and reply parsing ({@code generate_instruction.py}: {@code encode_prompt},
 * {@code post_process_gpt3_response}), including every filter: 4-150 words, the blacklist of words a
 * language model cannot act on, "Write a program", a leading punctuation or non-ASCII character.
 */
public final class SelfInstructPrompt {
    static final List<String> BLACKLIST = List.of("image", "images", "graph", "graphs", "picture", "pictures", "file", "files",
            "map", "maps", "draw", "plot", "go to", "video", "audio", "music", "flowchart", "diagram");
    private static final List<Pattern> BLACKLIST_PATTERNS = BLACKLIST.stream()
            .map(word -> Pattern.compile("\\b(" + Pattern.quote(word) + ")\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS))
            .toList();
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private SelfInstructPrompt() {}

    /** The request: the prompt file's text, a newline, the example tasks numbered 1..k, then "k+1. Instruction:". */
    public static String encode(String promptText, List<GeneratedTask> examples) {
        StringBuilder prompt = new StringBuilder(promptText).append('\n');
        int idx = 0;
        for (GeneratedTask task : examples) {
            idx++;
            String instruction = stripTrailingColons(WHITESPACE.matcher(task.instruction()).replaceAll(" ").strip());
            String input = task.input().isEmpty() ? "<noinput>" : task.input();
            prompt.append("###\n")
                    .append(idx).append(". Instruction: ").append(instruction).append('\n')
                    .append(idx).append(". Input:\n").append(input).append('\n')
                    .append(idx).append(". Output:\n").append(task.output()).append('\n');
        }
        prompt.append("###\n").append(idx + 1).append(". Instruction:");
        return prompt.toString();
    }

    private static String stripTrailingColons(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ':') {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * The tasks of a reply that pass the filters. The reply continues "k+1. Instruction:" (chat models
     * often repeat that prefix themselves; both forms parse). When the reply was cut by the token limit
     * its last task is dropped, as it is probably incomplete.
     */
    public static Parsed parse(int numExamples, String reply, boolean truncated) {
        String first = (numExamples + 1) + ". Instruction:";
        String raw = reply.stripLeading().startsWith(first) ? reply.stripLeading() : first + reply;
        String[] blocks = raw.split("###", -1);
        List<GeneratedTask> tasks = new ArrayList<>();
        int discarded = 0;
        for (int i = 0; i < blocks.length; i++) {
            if (i == blocks.length - 1 && truncated) {
                discarded++;
                continue;
            }
            GeneratedTask task = parseBlock(blocks[i], i + numExamples + 1);
            if (task != null && passesFilters(task.instruction())) {
                tasks.add(task);
            } else {
                discarded++;
            }
        }
        return new Parsed(tasks, discarded);
    }

    /** The tasks that passed, and how many blocks of the reply were unparsable or filtered out. */
    public record Parsed(List<GeneratedTask> tasks, int discarded) {}

    /** Python's re.split on "{idx}. (Instruction|Input|Output):" must give 7 parts: exactly three labels. */
    private static GeneratedTask parseBlock(String block, int idx) {
        Matcher labels = Pattern.compile(idx + "\\.\\s+(Instruction|Input|Output):", Pattern.UNICODE_CHARACTER_CLASS).matcher(block);
        List<int[]> spans = new ArrayList<>();
        while (labels.find()) {
            spans.add(new int[] {labels.start(), labels.end()});
        }
        if (spans.size() != 3) {
            return null;
        }
        String instruction = block.substring(spans.get(0)[1], spans.get(1)[0]).strip();
        String input = block.substring(spans.get(1)[1], spans.get(2)[0]).strip();
        String output = block.substring(spans.get(2)[1]).strip();
        if (input.toLowerCase(Locale.ROOT).equals("<noinput>")) {
            input = "";
        }
        return new GeneratedTask(instruction, input, output);
    }

    static boolean passesFilters(String instruction) {
        if (instruction.isEmpty()) {
            return false;
        }
        int words = WHITESPACE.split(instruction.strip()).length;
        if (words <= 3 || words > 150) {
            return false;
        }
        for (Pattern word : BLACKLIST_PATTERNS) {
            if (word.matcher(instruction).find()) {
                return false;
            }
        }
        if (instruction.startsWith("Write a program")) {
            return false;
        }
        char first = instruction.charAt(0);
        return ASCII_PUNCTUATION.indexOf(first) < 0 && first < 128;
    }
}
