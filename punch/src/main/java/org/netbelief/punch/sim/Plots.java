package org.netbelief.punch.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's PNG figures, drawn with JFreeChart: a reliability diagram, a belief against the
 * truth over time, and keepalive cost against holes lost per policy.
 *
 * <pre>{@code
 * Plots.reliabilityDiagram("netbelief", log.records("netbelief"), out.resolve("reliability.png"));
 * }</pre>
 */
public final class Plots {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 600;
  private static final int BINS = 10;

  private Plots() {}

  /**
   * Reliability diagram: for 10 equal-width bins of the predicted probability of direct success,
   * the mean prediction against the observed success rate, with the diagonal of perfect
   * calibration. Records without a prediction are skipped.
   */
  public static void reliabilityDiagram(String policy, List<ConnectionRecord> records, Path png)
      throws IOException {
    double[] sumP = new double[BINS];
    double[] sumY = new double[BINS];
    int[] n = new int[BINS];
    for (ConnectionRecord r : records) {
      double p = r.predictedProbability();
      if (Double.isNaN(p)) {
        continue;
      }
      int b = Math.min(BINS - 1, (int) (p * BINS));
      sumP[b] += p;
      sumY[b] += r.directAt() >= 0 ? 1 : 0;
      n[b]++;
    }
    XYSeries ideal = new XYSeries("perfect calibration");
    ideal.add(0, 0);
    ideal.add(1, 1);
    XYSeries observed = new XYSeries(policy);
    for (int b = 0; b < BINS; b++) {
      if (n[b] > 0) {
        observed.add(sumP[b] / n[b], sumY[b] / n[b]);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(ideal);
    data.addSeries(observed);
    JFreeChart chart = ChartFactory.createXYLineChart("Reliability: " + policy,
        "predicted probability of direct success", "observed success rate", data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.getDomainAxis().setRange(0, 1);
    plot.getRangeAxis().setRange(0, 1);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, Color.GRAY);
    renderer.setSeriesStroke(0, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        1f, new float[] {6f, 4f}, 0f));
    renderer.setSeriesShapesVisible(0, false);
    renderer.setSeriesPaint(1, new Color(0x1f77b4));
    plot.setRenderer(renderer);
    save(chart, png);
  }

  /**
   * A belief and the simulator's truth over time on one path (for instance the probability that
   * a hole is open, and whether it is), as two lines against seconds.
   *
   * @throws IllegalArgumentException when the arrays differ in length
   */
  public static void beliefOverTime(String title, double[] seconds, double[] belief,
      double[] truth, Path png) throws IOException {
    if (seconds.length != belief.length || seconds.length != truth.length) {
      throw new IllegalArgumentException("seconds, belief and truth differ in length: "
          + seconds.length + ", " + belief.length + ", " + truth.length);
    }
    XYSeries b = new XYSeries("belief");
    XYSeries t = new XYSeries("truth");
    for (int i = 0; i < seconds.length; i++) {
      b.add(seconds[i], belief[i]);
      t.add(seconds[i], truth[i]);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(b);
    data.addSeries(t);
    JFreeChart chart = ChartFactory.createXYLineChart(title, "virtual time (s)", "probability",
        data, PlotOrientation.VERTICAL, true, false, false);
    chart.getXYPlot().getRangeAxis().setRange(-0.02, 1.02);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesPaint(1, new Color(0xd62728));
    chart.getXYPlot().setRenderer(renderer);
    save(chart, png);
  }

  /**
   * Keepalive packets per connection-hour against holes lost per connection-hour, one point per
   * policy (policies with an undefined figure are left out).
   */
  public static void keepaliveCostVersusHolesLost(Map<String, PolicySummary> policies, Path png)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, PolicySummary> e : policies.entrySet()) {
      PolicySummary s = e.getValue();
      double x = s.keepalivesPerConnectionHour();
      double y = s.holesLostPerConnectionHour();
      if (Double.isNaN(x) || Double.isNaN(y)) {
        continue;
      }
      XYSeries series = new XYSeries(e.getKey());
      series.add(x, y);
      data.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createScatterPlot("Keepalive cost against holes lost",
        "keepalive packets per connection-hour", "holes lost per connection-hour", data,
        PlotOrientation.VERTICAL, true, false, false);
    save(chart, png);
  }

  private static void save(JFreeChart chart, Path png) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
    chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }
}
