"""Medians of /usr/bin/time rows ("wall user sys maxrss_kb exit"), for compare.sh.
   stats.py LABEL < rows          one line for one command
   stats.py --table DIR < tools   a markdown table, ratios to the first tool (tria-ready)"""
import os
import statistics
import sys


def rows(lines):
    out = []
    for line in lines:
        p = line.split()
        if len(p) == 5 and p[0].replace('.', '', 1).isdigit():
            out.append((float(p[0]), float(p[1]) + float(p[2]), int(p[3]) / 1024, p[4]))
    return out


def summary(rs):
    wall = [r[0] for r in rs]
    return (statistics.median(wall), min(wall), max(wall), statistics.median([r[1] for r in rs]),
            statistics.median([r[2] for r in rs]), ",".join(sorted({r[3] for r in rs})))


if sys.argv[1] == "--table":
    d = sys.argv[2]
    tools = [l.split()[0] for l in sys.stdin if l.strip()]
    print("| tool | wall s (median) [min–max] | cpu s | peak MiB | exit | runs as expected | wall ratio to tria-ready |")
    print("| --- | ---: | ---: | ---: | --- | --- | ---: |")
    base = None
    for t in tools:
        f = os.path.join(d, t.replace("/", "_"))
        with open(f + ".times") as fh:
            rs = rows(fh)
        bad = sum(1 for _ in open(f + ".bad")) if os.path.exists(f + ".bad") else 0
        w, lo, hi, cpu, rss, codes = summary(rs)
        base = base or w
        print("| %s | %.2f [%.2f–%.2f] | %.2f | %.1f | %s | %s | %.1f× |" % (
            t, w, lo, hi, cpu, rss, codes, "all %d" % len(rs) if bad == 0 else "%d of %d NOT" % (bad, len(rs)), w / base))
else:
    w, lo, hi, cpu, rss, codes = summary(rows(sys.stdin))
    print("%s: wall %.3f s [%.3f–%.3f] | cpu %.2f s | peak %.1f MiB | exit %s" % (sys.argv[1], w, lo, hi, cpu, rss, codes))
