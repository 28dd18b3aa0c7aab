#!/usr/bin/env python3
"""bench/report.py RESULTS_DIR BENCHMARKS_MD: medians of raw.jsonl -> results.json, table.md,
wall.svg, and the table section of BENCHMARKS.md (between the bench:begin/end markers)."""
import json, os, statistics, sys

res, md_path = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(os.path.join(res, "raw.jsonl")) if l.strip()]
machine = open(os.path.join(res, "machine.txt")).read().strip()

KINDS = ["floor", "check", "ansible", "apply_unconverged", "apply_converged", "check_converged"]
sizes = sorted({r["n"] for r in rows})
med = {}
for n in sizes:
    med[n] = {}
    for k in KINDS:
        rs = [r for r in rows if r["n"] == n and r["kind"] == k]
        if not rs:
            continue
        m = {
            "runs": len(rs),
            "wall": statistics.median(r["wall"] for r in rs),
            "wall_all": [r["wall"] for r in rs],
            "cpu": statistics.median(r["user"] + r["sys"] for r in rs),
            "rss_mib": statistics.median(r["rss_kb"] for r in rs) / 1024,
            "rss_mib_max": max(r["rss_kb"] for r in rs) / 1024,
            "rc": sorted({r["rc"] for r in rs}),
        }
        if "execs_max" in rs[0]:
            m["execs_min"] = min(r.get("execs_min", 0) for r in rs)
            m["execs_max"] = max(r.get("execs_max", 0) for r in rs)
            m["outcomes"] = rs[-1].get("outcomes")
            m["hosts"] = rs[-1].get("hosts")
        if k == "ansible":
            m["bad_hosts"] = max(r.get("bad_hosts", 0) for r in rs)
            m["changed"] = rs[-1].get("changed")
        med[n][k] = m
    sx = [r["execs"] for r in rows if r["n"] == n and r["kind"] == "sshd_execs"]
    if sx:
        med[n]["sshd_execs_per_check"] = sorted(set(sx))

json.dump({"machine": machine, "medians": med, "raw": rows}, open(os.path.join(res, "results.json"), "w"), indent=1)

def runs_note(n, k):
    m = med[n].get(k)
    return f" ({m['runs']} run{'s' if m['runs'] != 1 else ''})" if m and m["runs"] < max(
        (med[x].get("floor", {}).get("runs", 0) for x in sizes), default=0) else ""

def f(x, unit="s", nd=2):
    return "–" if x is None else f"{x:.{nd}f}{(' ' + unit) if unit else ''}"

def g(n, k, field):
    return med[n].get(k, {}).get(field)

def execs(n, k):
    m = med[n].get(k)
    if not m or "execs_max" not in m:
        return "–"
    return str(m["execs_max"]) if m["execs_min"] == m["execs_max"] else f"{m['execs_min']}–{m['execs_max']}"

hdr = ("| N | floor wall | plumb check wall | check cpu | check RSS | ansible wall | ansible cpu | ansible RSS "
       "| plumb/floor | ansible/plumb | apply unconverged wall / cpu / RSS | apply converged wall / cpu / RSS "
       "| check converged wall | exec channels per host: check / apply unconv. / apply conv. |")
lines = [hdr, "|" + "---|" * hdr.count("|")[:-1] if False else "|" + "|".join(["---"] * (hdr.count("|") - 1)) + "|"]
for n in sizes:
    fl, ck, an = g(n, "floor", "wall"), g(n, "check", "wall"), g(n, "ansible", "wall")
    au, ac = med[n].get("apply_unconverged"), med[n].get("apply_converged")
    sx = med[n].get("sshd_execs_per_check")
    ck_ex = execs(n, "check") + (f" (sshd: {','.join(map(str, sx))})" if sx else "")
    lines.append("| " + " | ".join([
        str(n), f(fl), f(ck), f(g(n, "check", "cpu")), f(g(n, "check", "rss_mib"), "MiB", 0),
        f(an), f(g(n, "ansible", "cpu")), f(g(n, "ansible", "rss_mib"), "MiB", 0),
        f(ck / fl if ck and fl else None, "×"), f(an / ck if an and ck else None, "×", 1),
        f"{f(au['wall'])} / {f(au['cpu'])} / {f(au['rss_mib'], 'MiB', 0)}{runs_note(n, 'apply_unconverged')}" if au else "–",
        f"{f(ac['wall'])} / {f(ac['cpu'])} / {f(ac['rss_mib'], 'MiB', 0)}{runs_note(n, 'apply_converged')}" if ac else "–",
        f(g(n, "check_converged", "wall")) + runs_note(n, "check_converged"),
        f"{ck_ex} / {execs(n, 'apply_unconverged')} / {execs(n, 'apply_converged')}",
    ]) + " |")

notes = []
for n in sizes:
    for k in KINDS:
        m = med[n].get(k)
        if not m:
            continue
        ok_rc = {"floor": [0], "check": [2], "ansible": [0], "apply_unconverged": [0], "apply_converged": [0],
                 "check_converged": [0]}[k]
        if any(rc not in ok_rc for rc in m["rc"]):
            notes.append(f"N={n} {k}: exit codes {m['rc']} (expected {ok_rc})")
        if k == "ansible" and m.get("bad_hosts"):
            notes.append(f"N={n} ansible: {m['bad_hosts']} hosts unreachable or failed")
        if k in ("check", "apply_unconverged") and m.get("outcomes", {}).get("converged"):
            notes.append(f"N={n} {k}: {m['outcomes']['converged']} of {n} hosts were already converged"
                         " (should be 0 on a fresh fleet)")
        if "hosts" in m and m["hosts"] != n:
            notes.append(f"N={n} {k}: report has {m['hosts']} hosts")
table = "\n".join(lines) + "\n"

# --- targets (issue 6), judged on this run's medians ---------------------------------------------
def verdict(ok):
    return "**met**" if ok else "**not met**"
tg = []
if 50 in med and g(50, "check", "wall") and g(50, "floor", "wall"):
    r = g(50, "check", "wall") / g(50, "floor", "wall")
    tg.append(f"| `plumb check` on 50 hosts <= 1.3x the floor | {r:.2f}x ({f(g(50, 'check', 'wall'))} vs {f(g(50, 'floor', 'wall'))}) | {verdict(r <= 1.3)} |")
if 50 in med and g(50, "ansible", "wall") and g(50, "check", "wall"):
    r = g(50, "ansible", "wall") / g(50, "check", "wall")
    tg.append(f"| >= 15x faster than Ansible (50 hosts) | {r:.1f}x ({f(g(50, 'ansible', 'wall'))} vs {f(g(50, 'check', 'wall'))}) | {verdict(r >= 15)} |")
if 1 in med and g(1, "check", "wall"):
    w = g(1, "check", "wall")
    tg.append(f"| 1 host: <= 1.0 s wall including JVM start | {f(w)} (slowest run {f(max(g(1, 'check', 'wall_all')))}) | {verdict(w <= 1.0)} |")
big = max(sizes)
if big >= 200 and med[big].get("check"):
    m = med[big]["check"]
    done = m.get("hosts") == big and m["rc"] == [2]
    tg.append(f"| {big} hosts: completes, peak RSS <= 512 MiB | {'completed' if done else 'did not complete'}, RSS {f(m['rss_mib_max'], 'MiB', 0)} (max of runs) | {verdict(done and m['rss_mib_max'] <= 512)} |")
if len(sizes) >= 3 and all(g(n, "check", "wall") for n in sizes):
    parts = []
    for a, b in zip(sizes, sizes[1:]):
        dw = (g(b, "check", "wall") - g(a, "check", "wall")) / (b - a) * 1000
        dc = (g(b, "check", "cpu") - g(a, "check", "cpu")) / (b - a) * 1000
        parts.append(f"{a}->{b}: {dw:.0f} ms wall, {dc:.1f} ms cpu")
    tg.append("| cost grows linearly with N (marginal cost per added host, check) | " + "; ".join(parts) + " | see below |")
targets = "| target | this run | |\n|---|---|---|\n" + "\n".join(tg) + "\n"
if notes:
    table += "\nAnomalies: " + "; ".join(notes) + "\n"
open(os.path.join(res, "table.md"), "w").write(table + "\nTargets:\n\n" + targets)

# --- SVG: wall time against N (log-log), floor / plumb check / ansible ---------------------------
import math
W, H, L, R, T, B = 720, 440, 70, 170, 30, 50
series = [("floor (ssh true)", "floor", "#888888"), ("plumb check", "check", "#1f77b4"),
          ("ansible --check", "ansible", "#d62728"), ("plumb check (converged)", "check_converged", "#2ca02c")]
pts = {k: [(n, g(n, k, "wall")) for n in sizes if g(n, k, "wall")] for _, k, _ in series}
allv = [v for p in pts.values() for _, v in p] or [1]
ymin = 10 ** math.floor(math.log10(min(allv))); ymax = 10 ** math.ceil(math.log10(max(allv)))
xmin, xmax = min(sizes), max(sizes)
if xmin == xmax: xmax = xmin * 10
def X(n): return L + (W - L - R) * (math.log10(n) - math.log10(xmin)) / (math.log10(xmax) - math.log10(xmin))
def Y(v): return T + (H - T - B) * (1 - (math.log10(v) - math.log10(ymin)) / (math.log10(ymax) - math.log10(ymin)))
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="18" font-size="14">Wall time against N (median of runs, log-log) — bench/run</text>']
d = ymin
while d <= ymax * 1.001:
    for m in (1, 2, 5):
        v = d * m
        if ymin <= v <= ymax:
            svg.append(f'<line x1="{L}" x2="{W-R}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" stroke="#e5e5e5"/>')
            svg.append(f'<text x="{L-6}" y="{Y(v)+4:.1f}" text-anchor="end">{v:g} s</text>')
    d *= 10
for n in sizes:
    svg.append(f'<line x1="{X(n):.1f}" x2="{X(n):.1f}" y1="{T}" y2="{H-B}" stroke="#e5e5e5"/>')
    svg.append(f'<text x="{X(n):.1f}" y="{H-B+16}" text-anchor="middle">{n}</text>')
svg.append(f'<text x="{(L+W-R)/2}" y="{H-12}" text-anchor="middle">hosts (N)</text>')
svg.append(f'<rect x="{L}" y="{T}" width="{W-L-R}" height="{H-T-B}" fill="none" stroke="#333"/>')
for i, (label, k, color) in enumerate(series):
    p = pts[k]
    if not p:
        continue
    svg.append('<polyline fill="none" stroke-width="2" stroke="%s" points="%s"/>' % (color, " ".join(f"{X(n):.1f},{Y(v):.1f}" for n, v in p)))
    for n, v in p:
        svg.append(f'<circle cx="{X(n):.1f}" cy="{Y(v):.1f}" r="3" fill="{color}"/>')
    y = T + 14 + 18 * i
    svg.append(f'<line x1="{W-R+12}" x2="{W-R+32}" y1="{y-4}" y2="{y-4}" stroke="{color}" stroke-width="2"/>')
    svg.append(f'<text x="{W-R+36}" y="{y}">{label}</text>')
svg.append("</svg>")
open(os.path.join(res, "wall.svg"), "w").write("\n".join(svg) + "\n")

# --- BENCHMARKS.md table section ------------------------------------------------------------------
BEGIN, END = "<!-- bench:begin (written by bench/run; do not edit by hand) -->", "<!-- bench:end -->"
section = (BEGIN + "\n\nMachine and run:\n\n```\n" + machine + "\n```\n\n" + table +
           "\n![wall time against N](bench/results/wall.svg)\n\nTargets, judged by bench/run on this run:\n\n" + targets + "\n" + END)
if os.path.exists(md_path):
    text = open(md_path).read()
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
else:
    text = "# Benchmarks\n\n" + section + "\n"
open(md_path, "w").write(text)
