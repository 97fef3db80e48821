package org.instruct4j.serve.structured;

/**
 * Inside a JSON number, {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} (an integer stops before the
 * fraction): at a {@link Part} with {@code digits} digits read in it. Parts are bounded (15 digits before and after
 * the point, 2 in the exponent) so a number stays exact as a double and a model cannot run on forever.
 */
record NumberFrame(NumberSchema schema, Part part, int digits) implements Frame {
    static final int MAX_DIGITS = 15;
    static final int MAX_EXPONENT_DIGITS = 2;

    enum Part { MINUS, ZERO, INTEGER, POINT, FRACTION, EXPONENT_MARK, EXPONENT_SIGN, EXPONENT }

    static void start(NumberSchema schema, int b, Stack below, Stacks out) {
        if (b == '-') {
            out.add(below.push(new NumberFrame(schema, Part.MINUS, 0)));
        } else if (b == '0') {
            out.add(below.push(new NumberFrame(schema, Part.ZERO, 1)));
        } else if (b >= '1' && b <= '9') {
            out.add(below.push(new NumberFrame(schema, Part.INTEGER, 1)));
        }
    }

    @Override
    public void feed(int b, Stack below, Stacks out) {
        boolean digit = b >= '0' && b <= '9';
        Part next = switch (part) {
            case MINUS -> b == '0' ? Part.ZERO : digit ? Part.INTEGER : null;
            case ZERO -> afterInteger(b);
            case INTEGER -> digit && digits < MAX_DIGITS ? Part.INTEGER : afterInteger(b);
            case POINT -> digit ? Part.FRACTION : null;
            case FRACTION -> digit && digits < MAX_DIGITS ? Part.FRACTION : b == 'e' || b == 'E' ? Part.EXPONENT_MARK : null;
            case EXPONENT_MARK -> b == '+' || b == '-' ? Part.EXPONENT_SIGN : digit ? Part.EXPONENT : null;
            case EXPONENT_SIGN -> digit ? Part.EXPONENT : null;
            case EXPONENT -> digit && digits < MAX_EXPONENT_DIGITS ? Part.EXPONENT : null;
        };
        if (next != null) {
            out.add(below.push(new NumberFrame(schema, next, next == part ? digits + 1 : digit ? 1 : 0)));
        } else if (mayEnd()) {
            Frame.handDown(b, below, out);
        }
    }

    private Part afterInteger(int b) {
        if (schema.integer()) {
            return null;
        }
        return b == '.' ? Part.POINT : b == 'e' || b == 'E' ? Part.EXPONENT_MARK : null;
    }

    @Override
    public boolean mayEnd() {
        return part == Part.ZERO || part == Part.INTEGER || part == Part.FRACTION || part == Part.EXPONENT;
    }
}
