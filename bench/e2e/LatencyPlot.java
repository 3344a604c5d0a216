import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** A PNG of latency (log scale) against the offered rate, with the targets as dashed lines. */
final class LatencyPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private record Series(String label, Color color, boolean dashed, ToDoubleFunction<PhaseResult> value) {
    }

    static void write(Path file, List<PhaseResult> steady, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Series> series = List.of(
                new Series("note p50", new Color(0x1f77b4), false, r -> r.note().p50()),
                new Series("note p99", new Color(0x1f77b4), true, r -> r.note().p99()),
                new Series("pipeline p50", new Color(0xd62728), false, r -> r.pipeline().p50()),
                new Series("pipeline p99", new Color(0xd62728), true, r -> r.pipeline().p99()));
        double maxRate = steady.stream().mapToDouble(PhaseResult::offeredPerSecond).max().orElse(50) * 1.1;
        double maxMs = Math.max(1000, steady.stream().flatMapToDouble(r -> series.stream()
                .mapToDouble(s -> s.value().applyAsDouble(r))).filter(v -> !Double.isNaN(v)).max().orElse(1));
        double minMs = Math.min(10, steady.stream().flatMapToDouble(r -> series.stream()
                .mapToDouble(s -> s.value().applyAsDouble(r))).filter(v -> v > 0).min().orElse(10));
        double lowDecade = Math.floor(Math.log10(minMs));
        double highDecade = Math.ceil(Math.log10(maxMs));

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        Axis x = v -> LEFT + (int) Math.round(v / maxRate * plotW);
        Axis y = v -> TOP + plotH - (int) Math.round((Math.log10(v) - lowDecade) / (highDecade - lowDecade) * plotH);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double d = lowDecade; d <= highDecade; d++) {
            for (int m = 1; m < 10 && d + Math.log10(m) <= highDecade; m++) {
                int py = y.at(m * Math.pow(10, d));
                g.setColor(m == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
                g.drawLine(LEFT, py, LEFT + plotW, py);
                if (m == 1) {
                    g.setColor(Color.DARK_GRAY);
                    String label = ms(Math.pow(10, d));
                    g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4);
                }
            }
        }
        for (PhaseResult r : steady) {
            int px = x.at(r.offeredPerSecond());
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.0f/s", r.offeredPerSecond());
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);

        target(g, "note target 300 ms", new Color(0x1f77b4), y.at(300), plotW);
        target(g, "pipeline target 1 s", new Color(0xd62728), y.at(1000), plotW);

        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {8f, 5f}, 0f) : new BasicStroke(2.5f));
            int prevX = -1;
            int prevY = -1;
            for (PhaseResult r : steady) {
                double v = s.value().applyAsDouble(r);
                if (Double.isNaN(v) || v <= 0) {
                    continue;
                }
                int px = x.at(r.offeredPerSecond());
                int py = y.at(v);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                g.fillOval(px - 4, py - 4, 8, 8);
                prevX = px;
                prevY = py;
            }
        }

        g.setStroke(new BasicStroke(1f));
        int ly = TOP + 10;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                    new float[] {8f, 5f}, 0f) : new BasicStroke(2.5f));
            g.drawLine(LEFT + plotW + 20, ly, LEFT + plotW + 50, ly);
            g.setColor(Color.BLACK);
            g.drawString("mention to " + s.label(), LEFT + plotW + 58, ly + 4);
            ly += 22;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Tandem end to end: latency against offered load (log scale)", LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(subtitle, LEFT, 42);
        g.drawString("offered mentions per second", LEFT + plotW / 2 - 70, HEIGHT - 18);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private interface Axis {
        int at(double value);
    }

    private static void target(Graphics2D g, String label, Color color, int py, int plotW) {
        g.setColor(color.brighter());
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {3f, 4f}, 0f));
        g.drawLine(LEFT, py, LEFT + plotW, py);
        g.drawString(label, LEFT + 6, py - 4);
    }

    private static String ms(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%.0f s", value / 1000)
                : String.format(Locale.ROOT, "%.0f ms", value);
    }

    private LatencyPlot() {
    }
}
