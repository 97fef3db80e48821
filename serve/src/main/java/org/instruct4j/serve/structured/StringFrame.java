package org.instruct4j.serve.structured;

/**
 * Inside a JSON string (after its opening quote), byte by byte: plain characters, escapes ({@code \n},
 * a backslash, u and four hex digits; no lone surrogates), and multi-byte UTF-8 characters checked as UTF-8 requires (no overlong
 * forms, no surrogates, nothing past U+10FFFF), so the text always decodes. {@code length} counts characters when
 * the schema bounds it (else it stays 0, so the frame's states repeat); {@code escape} is 0 outside an escape,
 * 1 after the backslash, 2-5 while 4-1 hex digits of a unicode escape are due (after the first, {@code low}
 * holds it); {@code continuation} is the count of UTF-8 continuation bytes due, the next one in {@code [low, high]}.
 * A character counts when it starts (its lead byte, or the backslash of its escape).
 */
record StringFrame(StringSchema schema, int length, int escape, int continuation, int low, int high) implements Frame {

    static StringFrame opened(StringSchema schema) {
        return new StringFrame(schema, 0, 0, 0, 0, 0);
    }

    @Override
    public void feed(int b, Stack below, Stacks out) {
        if (continuation > 0) {
            if (b >= low && b <= high) {
                out.add(below.push(new StringFrame(schema, length, 0, continuation - 1, 0x80, 0xBF)));
            }
        } else if (escape == 1) {
            if ("\"\\/bfnrt".indexOf(b) >= 0) {
                out.add(below.push(character()));
            } else if (b == 'u') {
                out.add(below.push(new StringFrame(schema, length, 2, 0, 0, 0)));
            }
        } else if (escape > 1) {
            feedHexDigit(b, below, out);
        } else if (b == '"') {
            if (length >= schema.minLength()) {
                out.add(below);
            }
        } else if (!roomForCharacter()) {
            return;
        } else if (b == '\\') {
            out.add(below.push(new StringFrame(schema, counted(), 1, 0, 0, 0)));
        } else if (b >= 0x20 && b < 0x80) {
            out.add(below.push(character()));
        } else {
            startMultiByte(b, below, out);
        }
    }

    /** The first hex digit of a unicode escape may not open a surrogate (D800-DFFF: its second digit is 0-7). */
    private void feedHexDigit(int b, Stack below, Stacks out) {
        boolean hex = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
        boolean surrogateStart = escape == 3 && (low == 'd');
        if (!hex || surrogateStart && !(b >= '0' && b <= '7')) {
            return;
        }
        if (escape == 5) {
            out.add(below.push(character()));
        } else {
            int first = escape == 2 ? Character.toLowerCase(b) : 0;
            out.add(below.push(new StringFrame(schema, length, escape + 1, 0, first, 0)));
        }
    }

    /** A UTF-8 lead byte: the continuation bytes it needs and the range of the first, as RFC 3629 gives them. */
    private void startMultiByte(int b, Stack below, Stacks out) {
        int need;
        int lo = 0x80;
        int hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            lo = b == 0xE0 ? 0xA0 : 0x80;
            hi = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            lo = b == 0xF0 ? 0x90 : 0x80;
            hi = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            return;
        }
        out.add(below.push(new StringFrame(schema, counted(), 0, need, lo, hi)));
    }

    private boolean roomForCharacter() {
        return length < schema.maxLength();
    }

    private int counted() {
        return schema.counts() ? length + 1 : 0;
    }

    /** The frame after a complete character: an escape's was counted at its backslash. */
    private StringFrame character() {
        return new StringFrame(schema, escape > 0 ? length : counted(), 0, 0, 0, 0);
    }
}
