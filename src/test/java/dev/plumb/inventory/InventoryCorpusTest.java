package dev.plumb.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import dev.plumb.text.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real inventories from public projects (src/test/resources/inventories/NAME/, source and licence
 * in each README) resolve exactly as ansible-inventory resolved them: its --list JSON and --graph
 * text are committed beside each (bin/regen-inventory-corpus), so ansible is not needed here.
 */
class InventoryCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/inventories");

  static Stream<String> inventories() throws IOException {
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  static Inventory load(String name) throws IOException {
    Path dir = CORPUS.resolve(name);
    Path source = dir.resolve(Files.readAllLines(dir.resolve("INVENTORY")).get(0).strip());
    Problems problems = new Problems();
    Inventory inventory = Inventory.read(source, problems);
    assertThat(problems.all()).filteredOn(Problem::isError).isEmpty();
    return inventory;
  }

  @Test
  void corpus_hasAtLeastEightRealInventories_eachWithItsSourceNoted() throws IOException {
    List<String> names = inventories().toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(8);
    for (String name : names) {
      assertThat(Files.readString(CORPUS.resolve(name).resolve("README.md"))).contains("https://github.com/", "License:");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inventories")
  void list_equalsAnsibleInventoryList(String name) throws IOException {
    String expected = Files.readString(CORPUS.resolve(name).resolve("list.json"));
    String actual = load(name).ansibleList();
    // Structure first, keys in the order ansible-inventory printed them, for a readable failure ...
    assertSameTree(Json.parse(actual), Json.parse(expected), "$");
    // ... then the text itself (indentation, number forms, escapes).
    assertThat(actual + "\n").isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inventories")
  void graph_equalsAnsibleInventoryGraph(String name) throws IOException {
    String expected = Files.readString(CORPUS.resolve(name).resolve("graph.txt"));
    assertThat(load(name).ansibleGraph("all").orElseThrow() + "\n").isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inventories")
  void host_equalsTheHostsEntryInList(String name) throws IOException {
    Inventory inventory = load(name);
    Map<?, ?> hostvars = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) Json.parse(
        Files.readString(CORPUS.resolve(name).resolve("list.json")))).get("_meta")).get("hostvars");
    for (Host h : inventory.hosts()) {
      Object expected = hostvars.containsKey(h.name()) ? hostvars.get(h.name()) : Map.of();
      assertSameTree(Json.parse(inventory.ansibleHost(h.name()).orElseThrow()), expected, h.name());
    }
  }

  static void assertSameTree(Object actual, Object expected, String path) {
    if (expected instanceof Map<?, ?> e) {
      assertThat(actual).as(path).isInstanceOf(Map.class);
      Map<?, ?> a = (Map<?, ?>) actual;
      assertThat(new ArrayList<>(a.keySet())).as(path + " keys, in order").isEqualTo(new ArrayList<>(e.keySet()));
      e.forEach((k, v) -> assertSameTree(a.get(k), v, path + "." + k));
    } else if (expected instanceof List<?> e) {
      assertThat(actual).as(path).isInstanceOf(List.class);
      List<?> a = (List<?>) actual;
      assertThat(a).as(path + " length").hasSize(e.size());
      for (int i = 0; i < e.size(); i++) {
        assertSameTree(a.get(i), e.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
