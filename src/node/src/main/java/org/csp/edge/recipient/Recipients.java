package org.csp.edge.recipient;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured recipients, and which one an alert code is for: the one that lists it, else the one with
 * {@link Recipient#REST}. Names are unique, a code is listed by at most one recipient and exactly one takes the rest,
 * so every code has exactly one recipient. Immutable.
 */
public final class Recipients {
  /** Without configuration: one recipient for everything, so the upstream order is the order events were raised. */
  public static final Recipients ALL_IN_ONE = new Recipients(List.of(new Recipient("all", Set.of(Recipient.REST), 1)));

  private final List<Recipient> list;
  private final Map<String, Recipient> byCode = new HashMap<>();
  private final Recipient rest;

  public Recipients(List<Recipient> recipients) {
    this.list = List.copyOf(recipients);
    Set<String> names = new LinkedHashSet<>();
    Recipient restOf = null;
    for (Recipient r : list) {
      if (!names.add(r.name())) throw new IllegalArgumentException("two recipients are named " + r.name());
      for (String code : r.codes()) {
        if (code.equals(Recipient.REST)) {
          if (restOf != null) {
            throw new IllegalArgumentException("both " + restOf.name() + " and " + r.name() + " take the rest (*)");
          }
          restOf = r;
          continue;
        }
        Recipient before = byCode.put(code, r);
        if (before != null) {
          throw new IllegalArgumentException("code " + code + " is listed by both " + before.name() + " and " + r.name());
        }
      }
    }
    if (restOf == null) {
      throw new IllegalArgumentException("no recipient takes the rest (*): the codes nobody lists would have no recipient");
    }
    this.rest = restOf;
  }

  public List<Recipient> list() {
    return list;
  }

  /** The recipient of {@code alertCode} (upper-case hex, as alerts carry it). */
  public Recipient of(String alertCode) {
    Recipient r = byCode.get(alertCode);
    return r != null ? r : rest;
  }

  public Recipient named(String name) {
    for (Recipient r : list) if (r.name().equals(name)) return r;
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Recipients other && other.list.equals(list);
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    return list.toString();
  }
}
