package org.instruct4j.model.engine;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Automatic prefix caching (vLLM's automatic prefix caching, SGLang's RadixAttention): the keys and values of token
 * sequences rows have read, kept in a radix tree over their tokens, so a new row whose prompt begins the same way
 * (a shared template, a system prompt, the earlier turns of a conversation) copies those positions instead of
 * computing them again. A row's keys and values depend on its tokens alone, so a row that starts from the cache gets
 * the same logits, bit for bit, as one that reads its whole prompt.
 *
 * <p>Each node of the tree holds a run of tokens and their keys and values ({@link KvSpan}); the path from the root
 * spells a cached sequence. Least-recently used leaves leave first when the cache holds more than its budget of
 * bytes. Used by one thread (the scheduler's).
 */
public final class PrefixCache {
    private final InferenceEngine engine;
    private final long budgetBytes;
    private final Node root = new Node(null, new int[0], null);
    /** Nodes without children, least recently used first: the ones eviction takes. */
    private final TreeSet<Node> leaves = new TreeSet<>(Comparator.comparingLong((Node n) -> n.lastUsed).thenComparingLong(n -> n.id));
    private long bytes;
    private long clock;
    private long nodeIds;
    private long queriedTokens;
    private long hitTokens;

    /** A cache for {@code engine}'s rows holding at most {@code budgetBytes} of keys and values. */
    public PrefixCache(InferenceEngine engine, long budgetBytes) {
        if (!engine.copiesKv()) {
            throw new IllegalArgumentException(engine.description() + " cannot copy keys and values: no prefix cache");
        }
        if (budgetBytes < 1) {
            throw new IllegalArgumentException("a prefix cache needs a budget of at least one byte, got " + budgetBytes);
        }
        this.engine = engine;
        this.budgetBytes = budgetBytes;
    }

    /**
     * Gives the empty {@code row} the keys and values of the longest cached prefix of {@code tokens[0, limit)} and
     * returns its length: the row holds that many tokens, and reads the rest itself.
     */
    public int restore(Sequence row, int[] tokens, int limit) {
        if (row.length() != 0) {
            throw new IllegalArgumentException("a prefix goes into an empty row; this one holds " + row.length() + " tokens");
        }
        int depth = 0;
        Node node = root;
        while (depth < limit) {
            Node child = node.children.get(tokens[depth]);
            if (child == null) {
                break;
            }
            int match = matching(child.tokens, tokens, depth, limit);
            engine.appendKv(row, child.span, match);
            touch(child);
            depth += match;
            if (match < child.tokens.length) {
                break;
            }
            node = child;
        }
        queriedTokens += limit;
        hitTokens += depth;
        return depth;
    }

    /**
     * Keeps the keys and values of {@code tokens[0, length)}, which {@code row} holds at positions [0, length): the
     * part the tree does not have yet is copied out of the row. Then evicts down to the budget.
     */
    public void remember(Sequence row, int[] tokens, int length) {
        if (row.length() < length) {
            throw new IllegalArgumentException("the row holds " + row.length() + " tokens, not " + length);
        }
        int depth = 0;
        Node node = root;
        while (depth < length) {
            Node child = node.children.get(tokens[depth]);
            if (child == null) {
                // no more than the budget holds: a long answer of a large model would not fit anyway
                int end = (int) Math.min(length, depth + budgetBytes / engine.kvBytesPerToken());
                if (end > depth) {
                    add(node, Arrays.copyOfRange(tokens, depth, end), engine.copyKv(row, depth, end));
                }
                break;
            }
            int match = matching(child.tokens, tokens, depth, length);
            if (depth + match == length) { // the tree holds all of it already
                touch(child);
                break;
            }
            if (match < child.tokens.length) {
                child = split(child, match);
            }
            touch(child);
            depth += match;
            node = child;
        }
        evict();
    }

    /** Bytes of keys and values the cache holds. */
    public long bytes() {
        return bytes;
    }

    /** Prompt tokens looked up ({@link #restore}'s limits summed). */
    public long queriedTokens() {
        return queriedTokens;
    }

    /** Of those, the tokens found (and not computed again). */
    public long hitTokens() {
        return hitTokens;
    }

    /** How many of {@code run}'s tokens equal {@code tokens[from, limit)}'s, from the start. */
    private static int matching(int[] run, int[] tokens, int from, int limit) {
        int n = Math.min(run.length, limit - from);
        int i = 0;
        while (i < n && run[i] == tokens[from + i]) {
            i++;
        }
        return i;
    }

    private void add(Node parent, int[] run, KvSpan span) {
        if (parent != root && parent.children.isEmpty()) {
            leaves.remove(parent);
        }
        Node node = new Node(parent, run, span);
        parent.children.put(run[0], node);
        bytes += span.bytes();
        touch(node);
    }

    /** Cuts {@code node}'s run after {@code at} tokens: a new parent holds the first part; returns it. */
    private Node split(Node node, int at) {
        leaves.remove(node);
        Node head = new Node(node.parent, Arrays.copyOf(node.tokens, at), node.span.slice(0, at));
        head.lastUsed = node.lastUsed;
        node.parent.children.put(head.tokens[0], head);
        bytes -= node.span.bytes();
        node.parent = head;
        node.tokens = Arrays.copyOfRange(node.tokens, at, node.tokens.length);
        node.span = node.span.slice(at, node.tokens.length);
        head.children.put(node.tokens[0], node);
        bytes += head.span.bytes() + node.span.bytes();
        if (node.children.isEmpty()) {
            leaves.add(node);
        }
        return head;
    }

    private void touch(Node node) {
        boolean leaf = node.children.isEmpty();
        if (leaf) {
            leaves.remove(node);
        }
        node.lastUsed = ++clock;
        if (leaf) {
            leaves.add(node);
        }
    }

    private void evict() {
        while (bytes > budgetBytes && !leaves.isEmpty()) {
            Node oldest = leaves.pollFirst();
            Node parent = oldest.parent;
            parent.children.remove(oldest.tokens[0]);
            bytes -= oldest.span.bytes();
            if (parent != root && parent.children.isEmpty()) {
                leaves.add(parent);
            }
        }
    }

    /** A run of tokens after its parent's and their keys and values. */
    private final class Node {
        final long id = nodeIds++;
        final Map<Integer, Node> children = new HashMap<>();
        Node parent;
        int[] tokens;
        KvSpan span;
        long lastUsed;

        Node(Node parent, int[] tokens, KvSpan span) {
            this.parent = parent;
            this.tokens = tokens;
            this.span = span;
        }
    }
}
