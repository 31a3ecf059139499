package org.netbelief.punch.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.model.fit.Calibration;

class ReliabilityPlotTest {

  @Test
  void write_twoModels_pngOfRequestedSize(@TempDir Path dir) throws Exception {
    SplittableRandom rnd = new SplittableRandom(3);
    Calibration good = new Calibration();
    Calibration sharp = new Calibration();
    for (int i = 0; i < 20_000; i++) {
      double p = rnd.nextDouble();
      boolean y = rnd.nextDouble() < p;
      good.add(p, y);
      sharp.add(p * p / (p * p + (1 - p) * (1 - p)), y);
    }
    Map<String, Calibration> models = new LinkedHashMap<>();
    models.put("calibrated", good);
    models.put("over-confident", sharp);
    Path png = dir.resolve("reliability.png");

    ReliabilityPlot.write(models, "test", png, 640, 480);

    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(640);
    assertThat(img.getHeight()).isEqualTo(480);
    assertThatThrownBy(() -> ReliabilityPlot.write(Map.of(), "x", png, 640, 480))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
