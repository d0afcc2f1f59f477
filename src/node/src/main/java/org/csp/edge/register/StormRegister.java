package org.csp.edge.register;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csp.edge.alert.Dmc;

/**
 * Assesses every DMC and alert code of a window: for each, the devices of the DMC that stormed on the code out of
 * the devices it has seen, against the same share among every other known DMC, by Fisher's exact one-sided test.
 * The unit is the device, not the alert: alerts come in storms (one device sends hundreds), so a test of alert
 * counts would flag every model; a device storms or not. Every DMC and code with at least {@code minDevices}
 * devices seen is tested (the exposure does not depend on storms, so filtering on it keeps the error rate), the
 * p-values adjusted together by Benjamini-Hochberg; an entry is confirmed (or suspected) when its adjusted p-value
 * is at most the confirmed (suspected) false-discovery rate and the lower bound of its ratio, at the same level,
 * is at least {@code minRateRatio}. The unknown DMC, and the overflow DMC of the rollups, are a mix of models:
 * never tested, nor part of the rest.
 */
public final class StormRegister {
  public static final String TEST = "fisher-exact-one-sided: devices stormed out of devices seen, this DMC vs all other DMCs";
  public static final String BOUND = "wald-log-scale (Katz), one-sided";
  private static final double DAY_MILLIS = 86_400_000d;

  private final Certainty certainty;
  private final List<Dmc> mixes;

  /** @param mixes DMCs that stand for many models (the rollups' overflow): never tested, never part of the rest */
  public StormRegister(Certainty certainty, List<Dmc> mixes) {
    this.certainty = certainty;
    this.mixes = List.copyOf(mixes);
  }

  public Certainty certainty() {
    return certainty;
  }

  /** The entries, confirmed first, then suspected, then none; each by adjusted p-value (untested last). */
  public List<Assessment> assess(List<Figures> all, long windowMillis) {
    double days = windowMillis / DAY_MILLIS;
    Map<Dmc, Long> seen = new HashMap<>();
    Map<String, Long> stormedByCode = new HashMap<>();
    long seenAll = 0;
    for (Figures f : all) {
      if (!testable(f.dmc())) continue;
      Long before = seen.putIfAbsent(f.dmc(), f.devicesSeen());
      if (before == null) seenAll += f.devicesSeen();
      stormedByCode.merge(f.alertCode(), f.devicesStormed(), Long::sum);
    }
    List<Figures> tested = new ArrayList<>();
    List<double[]> tests = new ArrayList<>();
    List<Assessment> out = new ArrayList<>(all.size());
    for (Figures f : all) {
      String why = exclusion(f, seenAll);
      if (why != null) {
        out.add(new Assessment(f, Status.NONE, perDeviceDay(f, days), null, why));
        continue;
      }
      long restSeen = seenAll - f.devicesSeen();
      long restStormed = stormedByCode.get(f.alertCode()) - f.devicesStormed();
      double lnP = Hypergeometric.lnUpperTail(f.devicesStormed(), f.devicesSeen(), f.devicesStormed() + restStormed,
          seenAll);
      tested.add(f);
      tests.add(new double[] {lnP, restSeen, restStormed});
    }
    double[] lnP = new double[tests.size()];
    for (int i = 0; i < lnP.length; i++) lnP[i] = tests.get(i)[0];
    double[] lnQ = BenjaminiHochberg.adjustLn(lnP);
    for (int i = 0; i < tested.size(); i++) {
      Figures f = tested.get(i);
      long restSeen = (long) tests.get(i)[1];
      long restStormed = (long) tests.get(i)[2];
      Status status = Status.NONE;
      double level = certainty.suspectedFdr();
      if (flagged(f, lnQ[i], restStormed, restSeen, certainty.confirmedFdr())) {
        status = Status.CONFIRMED;
        level = certainty.confirmedFdr();
      } else if (flagged(f, lnQ[i], restStormed, restSeen, certainty.suspectedFdr())) {
        status = Status.SUSPECTED;
      }
      RiskRatio rr = RiskRatio.of(f.devicesStormed(), f.devicesSeen(), restStormed, restSeen, 1 - level);
      out.add(new Assessment(f, status, perDeviceDay(f, days), new Assessment.Evidence(lnP[i], lnQ[i], rr.ratio(),
          rr.lowerBound(), 1 - level, restSeen, restStormed), null));
    }
    out.sort(ORDER);
    return out;
  }

  private boolean flagged(Figures f, double lnQ, long restStormed, long restSeen, double fdr) {
    return lnQ <= Math.log(fdr)
        && RiskRatio.of(f.devicesStormed(), f.devicesSeen(), restStormed, restSeen, 1 - fdr).lowerBound()
            >= certainty.minRateRatio();
  }

  private String exclusion(Figures f, long seenAll) {
    if (f.dmc() == null) return "unknown DMC: a mix of models";
    if (!testable(f.dmc())) return "overflow DMC: a mix of models";
    if (f.devicesSeen() < certainty.minDevices()) {
      return "fewer than " + certainty.minDevices() + " devices seen (register.minDevices)";
    }
    if (seenAll - f.devicesSeen() <= 0) return "no other DMC to compare with";
    return null;
  }

  private boolean testable(Dmc dmc) {
    return dmc != null && !mixes.contains(dmc);
  }

  private static double perDeviceDay(Figures f, double days) {
    return f.devicesSeen() == 0 || days <= 0 ? 0 : f.alerts() / (f.devicesSeen() * days);
  }

  static final Comparator<Assessment> ORDER = Comparator.comparing(Assessment::status)
      .thenComparingDouble(a -> a.evidence() == null ? Double.POSITIVE_INFINITY : a.evidence().lnAdjustedPValue())
      .thenComparing(a -> a.figures().alertCode())
      .thenComparing(a -> a.figures().dmc(), Comparator.nullsFirst(Comparator.comparing(Dmc::manufacturer)
          .thenComparing(Dmc::model).thenComparing(Dmc::firmware)));
}
