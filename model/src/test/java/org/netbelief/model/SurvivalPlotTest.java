package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the plot of docs/model.md (§8): S(g) with its 90% band for a NAT whose true
 * lifetime is 120 s, after the learning run of {@link SurvivalFiguresTest} (six hours, seed 42),
 * next to the prior's curve.
 *
 * <pre>
 * ./mvnw -B -ntp -pl model test -Dtest=SurvivalPlotTest -Dnetbelief.plots=../docs/img
 * </pre>
 */
class SurvivalPlotTest {
  @Test
  @EnabledIfSystemProperty(named = "netbelief.plots", matches = ".+")
  void plot_lifetime120s_writesPng() throws Exception {
    KeepaliveScenario sc = SurvivalFiguresTest.scenario(120, 0.0, 42)
        .runUntil(6 * 3600 * KeepaliveScenario.S);
    SurvivalCurve learnt = sc.model.curve(sc.nat, 200, 0.9, sc.now);
    SurvivalModel fresh = SurvivalModel.builder().build();
    SurvivalCurve prior = fresh.curve(new long[] {FeatureKeys.of("nat", "fresh")}, 200, 0.9, 0);

    YIntervalSeries a = new YIntervalSeries("learnt S(g), 90% band (T = 120 s, "
        + sc.probes + " probes)");
    YIntervalSeries b = new YIntervalSeries("prior S(g), 90% band");
    for (int i = 0; i < learnt.size(); i++) {
      a.add(learnt.seconds()[i], learnt.mean()[i], learnt.lower()[i], learnt.upper()[i]);
      b.add(prior.seconds()[i], prior.mean()[i], prior.lower()[i], prior.upper()[i]);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(a);
    data.addSeries(b);
    JFreeChart chart = ChartFactory.createXYLineChart(
        "NAT binding survival S(g): learnt vs prior", "silence g (s, log scale)",
        "P(binding survives g)", data);
    XYPlot plot = chart.getXYPlot();
    LogAxis x = new LogAxis("silence g (s, log scale)");
    x.setRange(1.0, 3600.0);
    x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
    plot.setDomainAxis(x);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setRange(0.0, 1.02);
    DeviationRenderer r = new DeviationRenderer(true, false);
    r.setSeriesPaint(0, new Color(0, 90, 200));
    r.setSeriesFillPaint(0, new Color(0, 90, 200));
    r.setSeriesPaint(1, new Color(200, 100, 0));
    r.setSeriesFillPaint(1, new Color(200, 100, 0));
    r.setSeriesStroke(0, new BasicStroke(2.5f));
    r.setSeriesStroke(1, new BasicStroke(1.5f));
    r.setAlpha(0.25f);
    plot.setRenderer(r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    double interval = sc.intervalNanos() * 1e-9;
    ValueMarker planned = new ValueMarker(interval, Color.DARK_GRAY, new BasicStroke(1.2f));
    planned.setLabel(String.format("planned keepalive %.0f s (r = 0.99)", interval));
    planned.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_LEFT);
    planned.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
    plot.addDomainMarker(planned);
    ValueMarker truth = new ValueMarker(120.0, Color.RED, new BasicStroke(1.2f));
    truth.setLabel("true lifetime 120 s");
    truth.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
    truth.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
    plot.addDomainMarker(truth);

    Path dir = Path.of(System.getProperty("netbelief.plots"));
    Files.createDirectories(dir);
    File out = dir.resolve("survival-120s.png").toFile();
    ChartUtils.saveChartAsPNG(out, chart, 900, 520);
    assertThat(out).exists();
    assertThat(out.length()).isGreaterThan(10_000);
  }
}
