package org.netbelief.punch.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  @Test
  void reliabilityDiagram_writesAReadablePng() throws IOException {
    Path png = dir.resolve("rel.png");
    Plots.reliabilityDiagram(png, "test", List.of(
        new Plots.ReliabilityBin(0.1, 0.12, 100, 0.06, 0.2),
        new Plots.ReliabilityBin(0.5, 0.45, 50, 0.32, 0.59),
        new Plots.ReliabilityBin(0.9, 0.0, 0, 0, 0)));
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(600);
    assertThat(distinctColours(img)).isGreaterThan(10); // something was drawn
  }

  @Test
  void beliefOverTime_mismatchedSeries_isRejected() {
    assertThatThrownBy(() -> Plots.beliefOverTime(dir.resolve("x.png"), "t",
        new double[2], new double[2], new double[2], new double[1], new double[2]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 points");
  }

  @Test
  void scatter_andTimeSeries_writePngs() throws IOException {
    Plots.scatter(dir.resolve("s.png"), "cost", "keepalives/h", "holes lost/h",
        List.of(new Plots.LabelledPoint("a", 240, 0.01), new Plots.LabelledPoint("b", 60, 0.02)));
    Plots.beliefOverTime(dir.resolve("t.png"), "t", new double[] {0, 1, 2},
        new double[] {0.9, 0.5, 0.2}, new double[] {0.8, 0.3, 0.1}, new double[] {0.95, 0.7, 0.3},
        new double[] {0.95, 0.0, 0.0});
    assertThat(ImageIO.read(dir.resolve("s.png").toFile())).isNotNull();
    assertThat(ImageIO.read(dir.resolve("t.png").toFile())).isNotNull();
  }

  private static int distinctColours(BufferedImage img) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
