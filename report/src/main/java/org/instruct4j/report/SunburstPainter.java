package org.instruct4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws a {@link Sunburst} with Java2D: ring k holds the nodes at depth k, each an annular sector whose angle is
 * its share of its parent's. Labels are written radially inside slices wide enough to hold them.
 */
final class SunburstPainter {
    private static final Color[] PALETTE = {
        new Color(0x5470c6), new Color(0x91cc75), new Color(0xfac858), new Color(0xee6666), new Color(0x73c0de),
        new Color(0x3ba272), new Color(0xfc8452), new Color(0x9a60b4), new Color(0xea7ccc), new Color(0x2f4554)};
    private static final double MIN_LABEL_DEGREES = 3.5;

    private SunburstPainter() {}

    static BufferedImage paint(Sunburst chart, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            FontMetrics titleMetrics = g.getFontMetrics();
            g.drawString(chart.title(), (width - titleMetrics.stringWidth(chart.title())) / 2, 34);
            int depth = depth(chart.roots());
            double cx = width / 2.0, cy = (height + 40) / 2.0;
            double outer = Math.min(width, height - 50) / 2.0 - 10;
            double hole = outer * 0.18;
            double ring = (outer - hole) / Math.max(1, depth);
            double total = chart.roots().stream().mapToDouble(Sunburst.Node::value).sum();
            if (total > 0) {
                drawRing(g, chart.roots(), total, 90, 360, 0, cx, cy, hole, ring, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawRing(Graphics2D g, List<Sunburst.Node> nodes, double total, double start, double extent,
                                 int level, double cx, double cy, double hole, double ring, Color inherited) {
        double angle = start;
        for (int i = 0; i < nodes.size(); i++) {
            Sunburst.Node node = nodes.get(i);
            double sweep = extent * node.value() / total;
            Color color = inherited == null ? PALETTE[i % PALETTE.length] : shade(inherited, i);
            double inner = hole + ring * level;
            double outer = inner + ring;
            Area sector = new Area(new Arc2D.Double(cx - outer, cy - outer, 2 * outer, 2 * outer, angle, -sweep, Arc2D.PIE));
            sector.subtract(new Area(new Ellipse2D.Double(cx - inner, cy - inner, 2 * inner, 2 * inner)));
            g.setColor(color);
            g.fill(sector);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.2f));
            g.draw(sector);
            if (Math.abs(sweep) >= MIN_LABEL_DEGREES) {
                label(g, node.name(), angle - sweep / 2, inner, outer, cx, cy);
            }
            double childTotal = node.children().stream().mapToDouble(Sunburst.Node::value).sum();
            if (childTotal > 0) {
                // children share the parent's slice in proportion to the parent's value, leaving the rest empty
                double covered = sweep * Math.min(1.0, childTotal / node.value());
                drawRing(g, node.children(), childTotal, angle, covered, level + 1, cx, cy, hole, ring, color);
            }
            angle -= sweep;
        }
    }

    private static void label(Graphics2D g, String text, double degrees, double inner, double outer, double cx, double cy) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();
        String shown = text;
        while (shown.length() > 1 && metrics.stringWidth(shown) > outer - inner - 6) {
            shown = shown.substring(0, shown.length() - 1);
        }
        double radians = Math.toRadians(degrees);
        double mid = (inner + outer) / 2;
        double x = cx + mid * Math.cos(radians);
        double y = cy - mid * Math.sin(radians);
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        double rotation = -radians;
        if (Math.cos(radians) < 0) {
            rotation += Math.PI; // keep text upright on the left half
        }
        g.rotate(rotation);
        g.setColor(Color.BLACK);
        g.drawString(shown, -metrics.stringWidth(shown) / 2f, metrics.getAscent() / 2f - 2);
        g.setTransform(saved);
    }

    private static Color shade(Color base, int index) {
        float[] hsb = Color.RGBtoHSB(base.getRed(), base.getGreen(), base.getBlue(), null);
        float brightness = Math.min(1f, hsb[2] * (1.05f + 0.07f * (index % 4)));
        float saturation = Math.max(0.15f, hsb[1] * (0.75f - 0.1f * (index % 4)));
        return Color.getHSBColor(hsb[0], saturation, brightness);
    }

    private static int depth(List<Sunburst.Node> nodes) {
        int deepest = 0;
        for (Sunburst.Node node : nodes) {
            deepest = Math.max(deepest, depth(node.children()));
        }
        return nodes.isEmpty() ? 0 : deepest + 1;
    }
}
