package org.instruct4j.teacher.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.TeacherException;

/**
 * What every translation task shares: the target language's name, the reply as a JSON object of translated texts,
 * and the check that nothing that must stay verbatim (code, anything in backticks, numbers, URLs, e-mail addresses,
 * placeholders, tags, variables) was lost.
 */
final class Translation {
    static final String SYSTEM_PROMPT = "You are a professional translator of instructions for AI assistants.";

    private static final Map<String, String> LANGUAGE_NAMES = Map.of(
            "zh", "Simplified Chinese", "zh-tw", "Traditional Chinese", "en", "English", "ja", "Japanese",
            "ko", "Korean", "fr", "French", "de", "German", "es", "Spanish", "ru", "Russian", "pt", "Portuguese");
    private static final Pattern PROTECTED = Pattern.compile(
            "```.*?```|`[^`\\n]+`|https?://\\S+|[\\w.+-]+@[\\w-]+\\.[\\w.]+|\\{[^{}\\s]{1,40}}|<[A-Za-z/][^<>\\s]{0,40}>|\\$[A-Za-z_]\\w*|%[sd]|\\d+(?:[.,]\\d+)*",
            Pattern.DOTALL);

    private Translation() {}

    /** The language's English name for a code (zh, ja, ...), or the text given when it is not a known code. */
    static String languageName(String codeOrName) {
        return LANGUAGE_NAMES.getOrDefault(codeOrName.toLowerCase(Locale.ROOT), codeOrName);
    }

    /** The protected spans of {@code source} that do not appear verbatim in {@code translation}. */
    static List<String> lostProtectedText(String source, String translation) {
        Set<String> spans = new LinkedHashSet<>();
        Matcher m = PROTECTED.matcher(source);
        while (m.find()) {
            spans.add(m.group());
        }
        List<String> lost = new ArrayList<>();
        for (String span : spans) {
            if (!translation.contains(span)) {
                lost.add(span);
            }
        }
        return lost;
    }

    /** A retryable failure unless the translation kept every protected span of the source. */
    static void requireProtectedText(String source, String translation) throws TeacherException {
        List<String> lost = lostProtectedText(source, translation);
        if (!lost.isEmpty()) {
            throw TeacherException.retryable("translation changed protected text " + lost);
        }
    }

    /** The JSON object in the reply (a model may wrap it in prose or a code fence). */
    static JsonNode parseObject(String content) throws TeacherException {
        int start = content.indexOf('{');
        int end = content.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw TeacherException.retryable("translation reply is not a JSON object");
        }
        try {
            return Json.MAPPER.readTree(content.substring(start, end + 1));
        } catch (IOException e) {
            throw TeacherException.retryable("translation reply is not valid JSON");
        }
    }

    /** The translated text of {@code field}, stripped. */
    static String text(JsonNode node, String field) throws TeacherException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw TeacherException.retryable("translation reply has no string \"" + field + "\"");
        }
        return value.textValue().strip();
    }
}
