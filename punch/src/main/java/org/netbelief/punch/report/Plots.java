package org.netbelief.punch.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG plots for reports: a reliability diagram, a belief against the truth over time, and a
 * cost/benefit scatter of policies. JFreeChart renders off-screen ({@code java.awt.headless}),
 * so no display is needed. Files are written to a temporary name and renamed, so a reader never
 * sees half a PNG.
 */
public final class Plots {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 600;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /** One bin of a reliability diagram. */
  public record ReliabilityBin(double meanPredicted, double observedFrequency, long count,
      double lower, double upper) {}

  /**
   * A reliability diagram: observed frequency against mean predicted probability per bin, with
   * each bin's credible interval and count, and the diagonal of perfect calibration.
   */
  public static void reliabilityDiagram(Path png, String title, List<ReliabilityBin> bins)
      throws IOException {
    YIntervalSeries observed = new YIntervalSeries("observed frequency (95% interval)");
    for (ReliabilityBin b : bins) {
      if (b.count() > 0) {
        observed.add(b.meanPredicted(), b.observedFrequency(), b.lower(), b.upper());
      }
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(observed);
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesFillPaint(0, new Color(0x1f77b4));
    renderer.setAlpha(0.25f);
    XYPlot plot = new XYPlot(data, axis("mean predicted probability", 0, 1),
        axis("observed frequency", 0, 1), renderer);
    XYSeries diagonal = new XYSeries("perfect calibration");
    diagonal.add(0, 0);
    diagonal.add(1, 1);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, Color.GRAY);
    line.setSeriesStroke(0, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        10f, new float[] {6f, 4f}, 0f));
    plot.setDataset(1, new XYSeriesCollection(diagonal));
    plot.setRenderer(1, line);
    for (ReliabilityBin b : bins) {
      if (b.count() > 0) {
        XYTextAnnotation n = new XYTextAnnotation("n=" + b.count(), b.meanPredicted(),
            Math.max(0.03, b.lower() - 0.04));
        n.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        plot.addAnnotation(n);
      }
    }
    write(png, chart(title, plot));
  }

  /**
   * Belief against the truth over time: the belief's mean with its credible band, and the true
   * probability (for example the simulator's ground truth through an outage).
   *
   * @param seconds time of each point
   * @param mean the belief's mean
   * @param lower lower credible bound
   * @param upper upper credible bound
   * @param truth the true probability at each point
   */
  public static void beliefOverTime(Path png, String title, double[] seconds, double[] mean,
      double[] lower, double[] upper, double[] truth) throws IOException {
    int n = seconds.length;
    if (mean.length != n || lower.length != n || upper.length != n || truth.length != n) {
      throw new IllegalArgumentException("all series must have " + n + " points");
    }
    YIntervalSeries belief = new YIntervalSeries("belief (mean, 95% band)");
    XYSeries truthSeries = new XYSeries("ground truth");
    for (int i = 0; i < n; i++) {
      belief.add(seconds[i], mean[i], lower[i], upper[i]);
      truthSeries.add(seconds[i], truth[i]);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(belief);
    DeviationRenderer renderer = new DeviationRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesFillPaint(0, new Color(0x1f77b4));
    renderer.setAlpha(0.25f);
    XYPlot plot = new XYPlot(data, axis("time (s)", Double.NaN, Double.NaN),
        axis("probability", 0, 1.02), renderer);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, new Color(0xd62728));
    line.setSeriesStroke(0, new BasicStroke(2f));
    plot.setDataset(1, new XYSeriesCollection(truthSeries));
    plot.setRenderer(1, line);
    write(png, chart(title, plot));
  }

  /** A labelled point of a scatter plot. */
  public record LabelledPoint(String label, double x, double y) {}

  /** A scatter of labelled points, e.g. keepalive cost against holes lost, one per policy. */
  public static void scatter(Path png, String title, String xLabel, String yLabel,
      List<LabelledPoint> points) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (LabelledPoint p : points) {
      XYSeries s = new XYSeries(p.label());
      s.add(p.x(), p.y());
      data.addSeries(s);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    XYPlot plot = new XYPlot(data, axis(xLabel, Double.NaN, Double.NaN),
        axis(yLabel, Double.NaN, Double.NaN), renderer);
    for (LabelledPoint p : points) {
      XYTextAnnotation a = new XYTextAnnotation("  " + p.label(), p.x(), p.y());
      a.setTextAnchor(org.jfree.chart.ui.TextAnchor.CENTER_LEFT);
      plot.addAnnotation(a);
    }
    write(png, chart(title, plot));
  }

  private static NumberAxis axis(String label, double lower, double upper) {
    NumberAxis a = new NumberAxis(label);
    if (!Double.isNaN(lower)) {
      a.setRange(lower, upper);
    } else {
      a.setAutoRangeIncludesZero(true);
    }
    return a;
  }

  private static JFreeChart chart(String title, XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static void write(Path png, JFreeChart chart) throws IOException {
    Path dir = png.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".tmp");
    try {
      ChartUtils.saveChartAsPNG(tmp.toFile(), chart, WIDTH, HEIGHT);
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
