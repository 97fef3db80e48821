package org.instruct4j.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table printed the way pandas prints a small DataFrame (what FastChat's {@code show_result.py} shows), with the
 * whole width on one line: the index levels left-aligned under their names, then each column right-aligned, two spaces
 * apart; integer columns as integers, float columns with six decimals less the trailing zeros all their values share
 * (at least one decimal kept).
 */
final class PandasTable {
    private final List<String> indexNames;
    private final List<String> columns;
    private final List<List<String>> indexes = new ArrayList<>();
    private final List<List<Number>> values = new ArrayList<>();

    PandasTable(List<String> indexNames, List<String> columns) {
        this.indexNames = List.copyOf(indexNames);
        this.columns = List.copyOf(columns);
    }

    PandasTable row(List<String> index, List<Number> rowValues) {
        indexes.add(List.copyOf(index));
        values.add(List.copyOf(rowValues));
        return this;
    }

    String render() {
        if (indexes.isEmpty()) {
            return "Empty DataFrame\nColumns: [" + String.join(", ", columns) + "]\nIndex: []\n";
        }
        List<List<String>> cells = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            cells.add(formatColumn(c));
        }
        int[] indexWidths = new int[indexNames.size()];
        for (int level = 0; level < indexNames.size(); level++) {
            indexWidths[level] = indexNames.get(level).length();
            for (List<String> index : indexes) {
                indexWidths[level] = Math.max(indexWidths[level], index.get(level).length());
            }
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (String cell : cells.get(c)) {
                widths[c] = Math.max(widths[c], cell.length());
            }
        }
        int indexWidth = indexWidths.length - 1;
        for (int w : indexWidths) {
            indexWidth += w;
        }
        StringBuilder out = new StringBuilder(" ".repeat(indexWidth));
        for (int c = 0; c < columns.size(); c++) {
            out.append("  ").append(right(columns.get(c), widths[c]));
        }
        out.append('\n').append(indexLine(indexNames, indexWidths));
        for (int c = 0; c < columns.size(); c++) {
            out.append("  ").append(" ".repeat(widths[c]));
        }
        out.append('\n');
        for (int r = 0; r < indexes.size(); r++) {
            out.append(indexLine(indexes.get(r), indexWidths));
            for (int c = 0; c < columns.size(); c++) {
                out.append("  ").append(right(cells.get(c).get(r), widths[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String indexLine(List<String> labels, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int level = 0; level < widths.length; level++) {
            if (level > 0) {
                line.append(' ');
            }
            line.append(labels.get(level)).append(" ".repeat(widths[level] - labels.get(level).length()));
        }
        return line.toString();
    }

    private List<String> formatColumn(int c) {
        boolean integers = values.stream().allMatch(row -> row.get(c) instanceof Integer || row.get(c) instanceof Long);
        List<String> cells = new ArrayList<>();
        if (integers) {
            values.forEach(row -> cells.add(row.get(c).toString()));
            return cells;
        }
        int sharedZeros = Integer.MAX_VALUE;
        for (List<Number> row : values) {
            String text = String.format(Locale.ROOT, "%.6f", row.get(c).doubleValue());
            cells.add(text);
            int zeros = 0;
            while (zeros < 5 && text.charAt(text.length() - 1 - zeros) == '0') {
                zeros++;
            }
            sharedZeros = Math.min(sharedZeros, zeros);
        }
        int cut = sharedZeros;
        cells.replaceAll(text -> text.substring(0, text.length() - cut));
        return cells;
    }

    private static String right(String text, int width) {
        return " ".repeat(width - text.length()) + text;
    }
}
