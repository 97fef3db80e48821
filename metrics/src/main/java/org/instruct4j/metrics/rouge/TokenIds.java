package org.instruct4j.metrics.rouge;

import java.util.Arrays;

/**
 * Dense int ids for the tokens of one scoring call, so that LCS and n-gram counting compare ints and index arrays
 * by token. Ids are 0, 1, 2, ... in order of first appearance. Tokens are looked up as char slices in an
 * open-addressing table, so that a token seen before costs no allocation. Not thread-safe: one per call.
 */
final class TokenIds {
    private char[] pool = new char[512];
    private int poolSize;
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private int[] hashes = new int[64];
    private int size;
    /** id + 1 per slot, 0 when empty; kept at most half full. */
    private int[] slots = new int[128];

    int idOf(String token) {
        return idOf(token.toCharArray(), 0, token.length());
    }

    int idOf(char[] chars, int start, int length) {
        int hash = 1;
        for (int i = start; i < start + length; i++) {
            hash = 31 * hash + chars[i];
        }
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                return insert(slot, chars, start, length, hash);
            }
            int id = entry - 1;
            if (hashes[id] == hash && lengths[id] == length
                    && Arrays.equals(pool, starts[id], starts[id] + length, chars, start, start + length)) {
                return id;
            }
        }
    }

    /** The number of distinct tokens seen: every id is below it. */
    int size() {
        return size;
    }

    private int insert(int slot, char[] chars, int start, int length, int hash) {
        if (poolSize + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + length));
        }
        System.arraycopy(chars, start, pool, poolSize, length);
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        int id = size++;
        starts[id] = poolSize;
        lengths[id] = length;
        hashes[id] = hash;
        poolSize += length;
        slots[slot] = id + 1;
        if (size * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        int mask = slots.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = spread(hashes[id]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1;
        }
    }

    /** Mixes the high bits of String-style hashes into the low bits the table uses. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
