package dev.plumb.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostPatternTest {
  // lab1, lab2 in gpu; lab3 in cpu; ctl in controllers; gpu and cpu in lab.
  static final Inventory INV = inventory();

  static Inventory inventory() {
    InventoryBuilder b = new InventoryBuilder();
    b.host("gpu", "lab1");
    b.host("gpu", "lab2");
    b.host("cpu", "lab3");
    b.host("controllers", "ctl");
    b.child("lab", "gpu", dev.plumb.source.Mark.nowhere("t"));
    b.child("lab", "cpu", dev.plumb.source.Mark.nowhere("t"));
    return b.build(java.nio.file.Path.of(""), new dev.plumb.source.Problems());
  }

  static List<String> sel(String pattern) {
    return HostPattern.parse(pattern).select(INV).stream().map(Host::name).toList();
  }

  @Test
  void basics() {
    assertThat(sel("all")).containsExactly("lab1", "lab2", "lab3", "ctl");
    assertThat(sel("*")).containsExactly("lab1", "lab2", "lab3", "ctl");
    assertThat(sel("lab")).containsExactly("lab1", "lab2", "lab3");
    assertThat(sel("ctl")).containsExactly("ctl");
    assertThat(sel("lab*")).containsExactly("lab1", "lab2", "lab3");
    assertThat(sel("c*")).containsExactly("lab3", "ctl"); // glob matches the group cpu and the host ctl
    assertThat(sel("~lab[12]")).containsExactly("lab1", "lab2");
    assertThat(sel("gpu:cpu")).containsExactly("lab1", "lab2", "lab3");
    assertThat(sel("gpu,ctl")).containsExactly("lab1", "lab2", "ctl");
    assertThat(sel("lab:!lab2")).containsExactly("lab1", "lab3");
    assertThat(sel("lab:&gpu")).containsExactly("lab1", "lab2");
    assertThat(sel("!gpu")).containsExactly("lab3", "ctl");
    assertThat(sel("nosuch")).isEmpty();
  }

  @Test
  void orderOfTermsDoesNotMatter_exclusionsApplyLast() {
    assertThat(sel("!lab2:lab")).isEqualTo(sel("lab:!lab2"));
    assertThat(sel("&gpu:all")).isEqualTo(sel("all:&gpu"));
  }

  @Test
  void unmatchedTerms() {
    assertThat(HostPattern.parse("gpu:gpuz:!nope").unmatchedTerms(INV)).containsExactly("gpuz", "nope");
  }

  /** Set laws over every pair of single terms: union, exclusion and intersection are the set operations. */
  @Test
  void laws_overAllPairsOfTerms() {
    List<String> terms = List.of("all", "lab", "gpu", "cpu", "controllers", "lab1", "lab2", "lab3", "ctl", "lab*", "none");
    for (String a : terms) {
      for (String b : terms) {
        Set<String> sa = new LinkedHashSet<>(sel(a));
        Set<String> sb = new LinkedHashSet<>(sel(b));
        Set<String> union = new LinkedHashSet<>(sa);
        union.addAll(sb);
        Set<String> minus = new LinkedHashSet<>(sa);
        minus.removeAll(sb);
        Set<String> inter = new LinkedHashSet<>(sa);
        inter.retainAll(sb);
        assertThat(new LinkedHashSet<>(sel(a + ":" + b))).as(a + ":" + b).isEqualTo(union);
        assertThat(new LinkedHashSet<>(sel(a + ":!" + b))).as(a + ":!" + b).isEqualTo(minus);
        assertThat(new LinkedHashSet<>(sel(a + ":&" + b))).as(a + ":&" + b).isEqualTo(inter);
        assertThat(new LinkedHashSet<>(sel(a + "," + b))).isEqualTo(new LinkedHashSet<>(sel(b + "," + a)));
        // Selection keeps inventory order whatever the pattern's order.
        List<String> all = new ArrayList<>(sel("all"));
        all.retainAll(union);
        assertThat(sel(a + ":" + b)).isEqualTo(all);
      }
    }
  }
}
