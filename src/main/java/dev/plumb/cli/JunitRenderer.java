package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.Mode;
import dev.plumb.apply.StepResult;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.Step;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The report as JUnit XML, the dialect CI systems read (Jenkins' junit-10.xsd, GitLab's
 * {@code artifacts:reports:junit}): one test suite per host, one test case per resource. In check
 * a drifted resource is a failure (message: the change; body: its diff); in apply a failed or
 * blocked step is an error; a host that failed or was unreachable before it had a plan is one
 * error case named {@code host}.
 */
final class JunitRenderer {
  private final Instant now;

  JunitRenderer(Instant now) {
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The outcome of one test case. */
  private record Case(String name, double seconds, String kind, String message, String body, String out) {}

  String render(RunReport report) {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      List<List<Case>> suites = new ArrayList<>();
      report.hosts().forEach(h -> suites.add(cases(h, report)));
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "plumb " + report.verb() + " " + report.playbook());
      xml.writeAttribute("tests", String.valueOf(suites.stream().mapToInt(List::size).sum()));
      xml.writeAttribute("failures", String.valueOf(suites.stream().mapToLong(s -> count(s, "failure")).sum()));
      xml.writeAttribute("errors", String.valueOf(suites.stream().mapToLong(s -> count(s, "error")).sum()));
      xml.writeAttribute("time", seconds(report.seconds()));
      for (int i = 0; i < suites.size(); i++) {
        suite(xml, report.hosts().get(i), suites.get(i));
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("could not write the JUnit report: " + e.getMessage(), e);
    }
    return text + "\n";
  }

  private void suite(XMLStreamWriter xml, HostResult host, List<Case> cases) throws XMLStreamException {
    xml.writeCharacters("\n  ");
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", clean(host.host()));
    xml.writeAttribute("hostname", clean(host.host()));
    xml.writeAttribute("tests", String.valueOf(cases.size()));
    xml.writeAttribute("failures", String.valueOf(count(cases, "failure")));
    xml.writeAttribute("errors", String.valueOf(count(cases, "error")));
    xml.writeAttribute("skipped", String.valueOf(count(cases, "skipped")));
    xml.writeAttribute("time", seconds(host.seconds()));
    xml.writeAttribute("timestamp", DateTimeFormatter.ISO_INSTANT.format(now));
    for (Case c : cases) {
      xml.writeCharacters("\n    ");
      xml.writeStartElement("testcase");
      xml.writeAttribute("classname", clean(host.host()));
      xml.writeAttribute("name", clean(c.name()));
      xml.writeAttribute("time", seconds(c.seconds()));
      if (c.kind() != null) {
        xml.writeCharacters("\n      ");
        xml.writeStartElement(c.kind());
        xml.writeAttribute("message", clean(c.message()));
        xml.writeAttribute("type", c.kind().equals("failure") ? "drift" : c.kind().equals("error") ? "error" : "skipped");
        xml.writeCharacters(clean(c.body()));
        xml.writeEndElement();
      }
      if (!c.out().isEmpty()) {
        xml.writeCharacters("\n      ");
        xml.writeStartElement("system-out");
        xml.writeCharacters(clean(c.out()));
        xml.writeEndElement();
      }
      if (c.kind() != null || !c.out().isEmpty()) {
        xml.writeCharacters("\n    ");
      }
      xml.writeEndElement();
    }
    xml.writeCharacters("\n  ");
    xml.writeEndElement();
  }

  private static List<Case> cases(HostResult host, RunReport report) {
    Mode mode = report.mode();
    List<Case> cases = new ArrayList<>();
    if (host.plan().isEmpty()) {
      cases.add(new Case("host", host.seconds(), "error", host.outcome().word() + ": " + String.join("; ", host.problems()),
          String.join("\n", host.problems()), ""));
      return cases;
    }
    Map<String, StepResult> results = new LinkedHashMap<>();
    host.steps().forEach(r -> results.put(r.id(), r));
    host.afterRebootSteps().forEach(r -> results.put(r.id(), r));
    for (Step step : host.plan().get().steps()) {
      cases.add(mode == Mode.APPLY ? applied(step, results.get(step.id()))
          : checked(step, report.classOf(host.host(), step.id())));
    }
    // Lint errors and resources that did not converge are the host's, not one resource's.
    if (host.outcome() == Outcome.FAILED && cases.stream().noneMatch(c -> "error".equals(c.kind()))) {
      cases.add(new Case("host", 0, "error", "failed: " + String.join("; ", host.problems()),
          String.join("\n", host.problems()), ""));
    }
    return cases;
  }

  /** {@code kind}: drift or rollout, named in a failure's message when the ledger tells which. */
  private static Case checked(Step step, dev.plumb.drift.DriftClass kind) {
    Change c = step.change();
    if (!c.blockers().isEmpty()) {
      return new Case(step.id(), 0, "error", "blocked: " + String.join("; ", c.blockers()), describe(c), "");
    }
    if (!c.changes()) {
      return new Case(step.id(), 0, null, "", "", "");
    }
    if (step.handler()) {
      // A handler runs because something it watches drifted: a consequence, not drift itself.
      return new Case(step.id(), 0, null, "", "", "would run: notified by " + String.join(", ", step.notifiedBy()));
    }
    String judged = kind == dev.plumb.drift.DriftClass.UNKNOWN ? "" : " (" + kind.word() + ")";
    return new Case(step.id(), 0, "failure", change(c) + judged, describe(c), "");
  }

  private static Case applied(Step step, StepResult result) {
    Change c = step.change();
    if (result == null) {
      return new Case(step.id(), 0, null, "", "", "");
    }
    return switch (result.status()) {
      case FAILED, BLOCKED -> new Case(step.id(), 0, "error", result.status().word() + ": " + result.message(), describe(c), "");
      // A rollout left by apply --only drift is skipped, with why: it waits for a reviewed apply.
      case SKIPPED, WAITING -> new Case(step.id(), 0, "skipped", result.message(), "", "");
      case OK, CHANGED, DEFERRED -> new Case(step.id(), 0, null, "", "",
          c.changes() ? change(c) + (c.diff().isEmpty() ? "" : "\n" + c.diff()) : "");
    };
  }

  /** "update: GRUB_CMDLINE_LINUX lacks intel_iommu=on -> has it", the change in one line. */
  private static String change(Change c) {
    return c.action().word() + ": " + c.before() + " -> " + c.after();
  }

  /** The diff, else the commands: what a reader needs to see the drift. */
  private static String describe(Change c) {
    if (!c.diff().isEmpty()) {
      return c.diff();
    }
    StringBuilder out = new StringBuilder();
    c.commands().stream().map(Command::shown).forEach(s -> out.append("$ ").append(s).append('\n'));
    return out.toString();
  }

  private static long count(List<Case> cases, String kind) {
    return cases.stream().filter(c -> kind.equals(c.kind())).count();
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", Math.max(0, s));
  }

  /** XML 1.0 cannot carry most control characters (a terminal escape in a diff); they become U+FFFD. */
  static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
          || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      out.appendCodePoint(ok ? cp : 0xFFFD);
    });
    return out.toString();
  }
}
