package org.netbelief.punch.fit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.netbelief.model.fit.Calibration;
import org.netbelief.model.fit.ReliabilityBin;

/**
 * Draws reliability diagrams as PNG: for each non-empty bin, the mean prediction (x) against the
 * observed frequency (y) with its 95% Wilson interval, one series per model, and the diagonal
 * of perfect calibration. The legend carries each model's log loss, Brier score and ECE.
 *
 * <pre>{@code
 * Map<String, Calibration> models = new LinkedHashMap<>();
 * models.put("fitted", fitted);
 * models.put("defaults", before);
 * ReliabilityPlot.write(models, "held-out trace", Path.of("reliability.png"), 800, 800);
 * }</pre>
 *
 * <p>Renders headless ({@code java.awt.headless} is set if unset).
 */
public final class ReliabilityPlot {
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
  };

  private ReliabilityPlot() {}

  /**
   * Writes the diagram of {@code models} (name to calibration, in legend order) to {@code file},
   * atomically.
   *
   * @throws IllegalArgumentException when there is no model or a size is not in [100, 8000]
   * @throws IOException when the file cannot be written
   */
  public static void write(Map<String, Calibration> models, String title, Path file, int width,
      int height) throws IOException {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("need at least one model to plot");
    }
    if (width < 100 || width > 8000 || height < 100 || height > 8000) {
      throw new IllegalArgumentException(
          "plot size must lie in [100, 8000] pixels, got " + width + "x" + height);
    }
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    JFreeChart chart = chart(models, title);
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      ChartUtils.saveChartAsPNG(tmp.toFile(), chart, width, height);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static JFreeChart chart(Map<String, Calibration> models, String title) {
    YIntervalSeriesCollection bins = new YIntervalSeriesCollection();
    for (Map.Entry<String, Calibration> e : new LinkedHashMap<>(models).entrySet()) {
      Calibration c = e.getValue();
      YIntervalSeries s = new YIntervalSeries(String.format(Locale.ROOT,
          "%s (n=%d, log loss %.4f, Brier %.4f, ECE %.4f)", e.getKey(), c.count(), c.logLoss(),
          c.brierScore(), c.expectedCalibrationError()));
      for (ReliabilityBin b : c.reliabilityDiagram()) {
        if (b.count() > 0) {
          s.add(b.meanPredicted(), b.observedFrequency(), b.interval().lower(),
              b.interval().upper());
        }
      }
      bins.addSeries(s);
    }
    NumberAxis x = new NumberAxis("mean predicted probability");
    NumberAxis y = new NumberAxis("observed frequency (95% Wilson interval)");
    x.setRange(0, 1);
    y.setRange(0, 1);
    XYErrorRenderer points = new XYErrorRenderer();
    points.setDrawXError(false);
    points.setDefaultLinesVisible(true);
    for (int i = 0; i < bins.getSeriesCount(); i++) {
      points.setSeriesPaint(i, COLORS[i % COLORS.length]);
    }
    XYPlot plot = new XYPlot(bins, x, y, points);
    XYSeries diagonal = new XYSeries("perfect calibration");
    diagonal.add(0, 0);
    diagonal.add(1, 1);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, Color.GRAY);
    line.setSeriesStroke(0, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
        new float[] {6f, 4f}, 0f));
    plot.setDataset(1, new XYSeriesCollection(diagonal));
    plot.setRenderer(1, line);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
