package org.netbelief.model.internal;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Gauss–Hermite rules for expectations under a standard normal: {@code E[g(Z)] ≈ Σ w_i g(z_i)}
 * with {@code Σ w_i = 1}, exact for polynomials of degree up to {@code 2p − 1}.
 *
 * <p>Nodes and weights come from the Golub–Welsch method: the nodes of the {@code p}-point rule are
 * the eigenvalues of the symmetric tridiagonal Jacobi matrix of the probabilists' Hermite
 * polynomials (zero diagonal, off-diagonal {@code sqrt(1), …, sqrt(p−1)}, from the recurrence
 * {@code x He_n = He_{n+1} + n He_{n−1}}), and each weight is the squared first component of the
 * unit eigenvector. EJML does the eigen-decomposition once per rule, at class initialisation.
 *
 * <p>Immutable after construction; safe to share.
 */
public final class GaussHermite {
  /** The largest rule provided. */
  public static final int MAX_POINTS = 24;

  private static final double[][] NODES = new double[MAX_POINTS + 1][];
  private static final double[][] WEIGHTS = new double[MAX_POINTS + 1][];

  static {
    for (int p = 1; p <= MAX_POINTS; p++) {
      build(p);
    }
  }

  private GaussHermite() {}

  /**
   * Returns the nodes of the {@code p}-point rule, ascending. The array is shared: do not modify.
   *
   * @param p the number of points, 1..{@link #MAX_POINTS}
   * @return the nodes
   */
  public static double[] nodes(int p) {
    return NODES[p];
  }

  /**
   * Returns the weights of the {@code p}-point rule (summing to 1), in node order. Shared: do not
   * modify.
   *
   * @param p the number of points, 1..{@link #MAX_POINTS}
   * @return the weights
   */
  public static double[] weights(int p) {
    return WEIGHTS[p];
  }

  private static void build(int p) {
    double[] nodes = new double[p];
    double[] weights = new double[p];
    if (p == 1) {
      nodes[0] = 0;
      weights[0] = 1;
    } else {
      DMatrixRMaj jacobi = new DMatrixRMaj(p, p);
      for (int i = 1; i < p; i++) {
        double b = Math.sqrt(i);
        jacobi.set(i - 1, i, b);
        jacobi.set(i, i - 1, b);
      }
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
      if (!eig.decompose(jacobi)) {
        throw new IllegalStateException("Jacobi eigen-decomposition failed for p=" + p);
      }
      double[][] pairs = new double[p][2];
      double sum = 0;
      for (int i = 0; i < p; i++) {
        DMatrixRMaj v = eig.getEigenVector(i);
        double norm2 = 0;
        for (int j = 0; j < p; j++) {
          norm2 += v.get(j) * v.get(j);
        }
        pairs[i][0] = eig.getEigenvalue(i).getReal();
        pairs[i][1] = v.get(0) * v.get(0) / norm2;
        sum += pairs[i][1];
      }
      java.util.Arrays.sort(pairs, (a, b) -> Double.compare(a[0], b[0]));
      for (int i = 0; i < p; i++) {
        nodes[i] = pairs[i][0];
        weights[i] = pairs[i][1] / sum;
      }
    }
    NODES[p] = nodes;
    WEIGHTS[p] = weights;
  }
}
