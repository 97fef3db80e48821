package org.instruct4j.report;

import java.util.List;

/**
 * Nested rings: the inner ring's slices (verbs) split into the outer ring's (their nouns), each slice's angle
 * proportional to its value, as in the paper's Figure 1.
 */
public record Sunburst(String title, List<Node> roots) implements Chart {
    /** A slice; its children share out its angle by their values. */
    public record Node(String name, double value, List<Node> children) {
        public Node {
            children = List.copyOf(children);
        }

        public static Node leaf(String name, double value) {
            return new Node(name, value, List.of());
        }
    }

    public Sunburst {
        roots = List.copyOf(roots);
    }
}
