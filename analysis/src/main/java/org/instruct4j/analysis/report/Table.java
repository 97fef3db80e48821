package org.instruct4j.analysis.report;

import java.util.List;

/** A small table of text: printed aligned on a terminal, or handed to the HTML report. */
public record Table(List<String> header, List<List<String>> rows) {
    public Table {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** Columns padded to their widest cell; columns of numbers are right-aligned, header included. */
    public String toText() {
        int[] widths = new int[header.size()];
        boolean[] numeric = new boolean[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
                numeric[c] &= isNumber(row.get(c));
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, header, widths, numeric);
        for (List<String> row : rows) {
            line(text, row, widths, numeric);
        }
        return text.toString();
    }

    private static boolean isNumber(String cell) {
        return cell.matches("-|-?[0-9][0-9,]*(\\.[0-9]+)?");
    }

    private static void line(StringBuilder text, List<String> cells, int[] widths, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(widths[c] - cell.length());
            line.append(c == 0 ? "" : "  ").append(numeric[c] ? padding + cell : cell + padding);
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
