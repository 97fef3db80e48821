package org.instruct4j.eval.human;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/** Small pair sets for the human-evaluation tests; one answer is hostile HTML. */
final class TestPairs {
    static final String HOSTILE = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> & <b>bold</b>";

    private TestPairs() {}

    static List<Pair> three() {
        return List.of(
                new Pair("1", IntNode.valueOf(1), "generic", "How can I improve my time management skills?", "alpaca-13b",
                        "Make a schedule.", "vicuna-13b", "Prioritise tasks,\nset goals and avoid distractions."),
                new Pair("2", IntNode.valueOf(2), "coding", "Write <b>HTML</b> that greets the user.", "alpaca-13b", HOSTILE,
                        "vicuna-13b", "Use a <p> element: <p>Hello</p>"),
                new Pair("user_oriented_task_7", TextNode.valueOf("user_oriented_task_7"), "Gmail", "Write a reply.",
                        "alpaca-13b", "Thanks!", "vicuna-13b", "Thank you for your message."));
    }

    static List<Pair> many(int n) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(new Pair("p" + i, IntNode.valueOf(i), "generic", "Question " + i, "model-a", "A" + i, "model-b", "B" + i));
        }
        return pairs;
    }
}
