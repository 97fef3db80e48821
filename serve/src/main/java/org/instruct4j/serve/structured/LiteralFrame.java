package org.instruct4j.serve.structured;

/** Inside one of a fixed set of byte strings (a literal value): at a node of their trie. */
record LiteralFrame(ByteTrie trie, int node) implements Frame {

    /**
     * Moves from {@code node} along byte {@code b}: deeper into the trie, popped when a string ends there and none
     * goes on, and (where a string ended at {@code node}) the byte handed down instead.
     */
    static void step(ByteTrie trie, int node, int b, Stack below, Stacks out) {
        int next = trie.child(node, b);
        if (next >= 0) {
            out.add(trie.hasChildren(next) ? below.push(new LiteralFrame(trie, next)) : below);
        }
        if (node != ByteTrie.ROOT && trie.value(node) >= 0) {
            Frame.handDown(b, below, out);
        }
    }

    @Override
    public void feed(int b, Stack below, Stacks out) {
        step(trie, node, b, below, out);
    }

    @Override
    public boolean mayEnd() {
        return trie.value(node) >= 0;
    }
}
