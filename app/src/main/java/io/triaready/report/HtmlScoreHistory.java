package io.triaready.report;

import java.util.ArrayList;
import java.util.List;

import io.triaready.core.engine.RunResult;

/**
 * The "Score history" card of the HTML report: an inline SVG sparkline of the earlier scores and this
 * one (runs without data are gaps), the fail-under line, and the change since the last scored run.
 */
final class HtmlScoreHistory {
    private HtmlScoreHistory() {}

    /** Appends the card, or nothing when the run has no history. */
    static void card(StringBuilder b, RunResult r, RenderOptions options) {
        if (options.history() == null || options.history().isEmpty()) return;
        List<Double> scores = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (RenderOptions.HistoryPoint p : options.history()) {
            scores.add(p.score());
            labels.add(Fmt.day(p.when()) + ": " + (p.score() == null ? "no data" : Fmt.number(p.score())));
        }
        scores.add(r.score().value());
        labels.add("this run: " + Fmt.score(r.score().value()));
        int w = 320, ht = 110, padX = 8, top = 14, bottom = 18;
        int n = scores.size();
        double step = n > 1 ? (double) (w - 2 * padX) / (n - 1) : 0;
        double plotH = ht - top - bottom;
        b.append("<div class=\"card spark\">\n<h2>Score history</h2>\n<svg viewBox=\"0 0 ").append(w).append(' ').append(ht)
                .append("\" role=\"img\" aria-label=\"Score over the last ").append(n).append(" runs\">\n");
        double ty = top + plotH * (1 - Math.max(0, Math.min(100, r.failUnder())) / 100);
        b.append("<line class=\"thr\" x1=\"").append(padX).append("\" x2=\"").append(w - padX).append("\" y1=\"").append(Fmt.number(ty))
                .append("\" y2=\"").append(Fmt.number(ty)).append("\"><title>fail-under ").append(Fmt.number(r.failUnder())).append("</title></line>\n");
        // Segments of consecutive runs with data become one polyline each (with a light area under it).
        List<double[]> seg = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            Double s = i < n ? scores.get(i) : null;
            if (s != null) {
                seg.add(new double[] {padX + step * i, top + plotH * (1 - Math.max(0, Math.min(100, s)) / 100)});
            } else if (!seg.isEmpty()) {
                StringBuilder pts = new StringBuilder();
                for (double[] p : seg) pts.append(Fmt.number(p[0])).append(',').append(Fmt.number(p[1])).append(' ');
                double x0 = seg.get(0)[0], x1 = seg.get(seg.size() - 1)[0], base = top + plotH;
                b.append("<polygon class=\"area\" points=\"").append(Fmt.number(x0)).append(',').append(Fmt.number(base)).append(' ')
                        .append(pts).append(Fmt.number(x1)).append(',').append(Fmt.number(base)).append("\"/>\n");
                b.append("<polyline class=\"line\" points=\"").append(pts.toString().strip()).append("\"/>\n");
                seg.clear();
            }
        }
        for (int i = 0; i < n; i++) {
            Double s = scores.get(i);
            double x = padX + step * i;
            if (s == null) {
                // A run without data is a dashed vertical mark, not a point at 0: it has no score at all.
                b.append("<line class=\"gap\" x1=\"").append(Fmt.number(x)).append("\" x2=\"").append(Fmt.number(x)).append("\" y1=\"")
                        .append(top).append("\" y2=\"").append(Fmt.number(top + plotH)).append("\"><title>").append(h(labels.get(i)))
                        .append("</title></line>\n");
                continue;
            }
            double y = top + plotH * (1 - Math.max(0, Math.min(100, s)) / 100);
            boolean now = i == n - 1;
            b.append("<circle class=\"").append(now ? "dot now" : "dot").append("\" cx=\"").append(Fmt.number(x)).append("\" cy=\"")
                    .append(Fmt.number(y)).append("\" r=\"").append(now ? 4 : 3).append("\"><title>").append(h(labels.get(i)))
                    .append("</title></circle>\n");
            if (now || i == 0) {
                b.append("<text class=\"val\" x=\"").append(Fmt.number(x)).append("\" y=\"").append(Fmt.number(y - 8))
                        .append("\" text-anchor=\"").append(now ? "end" : "start").append("\">").append(Fmt.number(s)).append("</text>\n");
            }
        }
        b.append("<text class=\"axis\" x=\"").append(padX).append("\" y=\"").append(ht - 4).append("\">")
                .append(h(Fmt.day(options.history().get(0).when()))).append("</text>\n")
                .append("<text class=\"axis\" x=\"").append(w - padX).append("\" y=\"").append(ht - 4).append("\" text-anchor=\"end\">this run</text>\n")
                .append("</svg>\n");
        Double previous = null;
        for (int i = n - 2; i >= 0 && previous == null; i--) previous = scores.get(i);
        Double now = r.score().value();
        b.append("<div class=\"trend\"><span>").append(n).append(" runs</span><span>");
        if (now != null && previous != null) {
            double d = now - previous;
            b.append("<b>").append(d >= 0 ? "+" : "−").append(Fmt.number(Math.abs(d))).append("</b> since the last scored run");
        } else {
            b.append("no trend yet");
        }
        b.append("</span></div>\n</div>\n");
    }

    private static String h(String s) { return Xml.text(Fmt.nz(s)); }
}
