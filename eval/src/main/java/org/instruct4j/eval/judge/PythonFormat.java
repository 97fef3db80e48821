package org.instruct4j.eval.judge;

import java.util.Map;
import org.instruct4j.core.io.BadInputException;

/**
 * Python's {@code str.format} with named fields, as FastChat fills its judge templates: {@code {name}} is
 * replaced by the value in one pass (so braces inside an answer stay as they are), {@code {{} and {@code }}}
 * stand for single braces. Format specs and conversions are not used by these templates and are rejected.
 */
final class PythonFormat {
    private PythonFormat() {}

    static String format(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 4096);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                out.append('}');
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new BadInputException("unclosed '{' at " + i + " in template");
                }
                String name = template.substring(i + 1, end);
                String value = values.get(name);
                if (value == null) {
                    throw new BadInputException("the template uses {" + name + "}, which has no value");
                }
                out.append(value);
                i = end + 1;
            } else if (c == '}') {
                throw new BadInputException("single '}' at " + i + " in template");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
