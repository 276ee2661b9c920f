package io.triaready.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The HTML report's inline CSS and scripts. They hold no data (the page's data lives in escaped HTML
 * and data- attributes), so the page's Content-Security-Policy can allow exactly these two scripts by
 * hash: anything injected through a check title or evidence would not run even if escaping failed.
 */
final class HtmlAssets {
    private HtmlAssets() {}

    /** Runs first: records script errors, console.error calls and CSP violations into #js-errors. */
    static final String HOOK_JS = """
            (function () {
              var errors = [];
              function record(m) {
                errors.push(String(m));
                var el = document.getElementById('js-errors');
                if (el) { el.textContent = errors.join('\\n'); el.hidden = false; }
                document.documentElement.setAttribute('data-errors', String(errors.length));
              }
              window.__triaErrors = errors;
              window.__triaRecord = record;
              window.addEventListener('error', function (e) { record('error: ' + (e.message || e.type)); });
              window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
              document.addEventListener('securitypolicyviolation', function (e) { record('csp: ' + e.violatedDirective); });
              var original = console.error;
              console.error = function () {
                record('console.error: ' + Array.prototype.join.call(arguments, ' '));
                return original.apply(console, arguments);
              };
            })();
            """;

    /** Table filters (status, phase, host, text), the count tiles, and the #selftest hook used by the tests. */
    static final String MAIN_JS = """
            (function () {
              'use strict';
              var errors = window.__triaErrors || [];
              var sink = document.getElementById('js-errors');
              if (sink && errors.length) { sink.textContent = errors.join('\\n'); sink.hidden = false; }
              var table = document.getElementById('checks');
              if (table) {
                var rows = Array.prototype.slice.call(table.tBodies[0].rows);
                var f = {
                  status: document.getElementById('f-status'),
                  phase: document.getElementById('f-phase'),
                  host: document.getElementById('f-host'),
                  q: document.getElementById('f-q')
                };
                var shown = document.getElementById('shown');
                var none = document.getElementById('no-match');
                var NOT_PASSING = { fail: true, error: true, blocked: true };
                var matches = function (r) {
                  var s = f.status.value, p = f.phase.value, h = f.host.value;
                  var q = f.q.value.trim().toLowerCase();
                  if (s === 'notpass' ? !NOT_PASSING[r.getAttribute('data-status')] : (s && r.getAttribute('data-status') !== s)) return false;
                  if (p && r.getAttribute('data-phase') !== p) return false;
                  if (h && r.getAttribute('data-host') !== h) return false;
                  if (q && r.getAttribute('data-search').indexOf(q) < 0) return false;
                  return true;
                };
                var apply = function () {
                  var n = 0;
                  rows.forEach(function (r) { var ok = matches(r); r.hidden = !ok; if (ok) n++; });
                  shown.textContent = String(n);
                  none.hidden = n > 0;
                  return n;
                };
                var reset = function () { f.status.value = ''; f.phase.value = ''; f.host.value = ''; f.q.value = ''; };
                ['status', 'phase', 'host'].forEach(function (k) { f[k].addEventListener('change', apply); });
                f.q.addEventListener('input', apply);
                document.getElementById('f-reset').addEventListener('click', function () { reset(); apply(); });
                Array.prototype.forEach.call(document.querySelectorAll('[data-set-status]'), function (el) {
                  el.addEventListener('click', function () {
                    reset();
                    f.status.value = el.getAttribute('data-set-status');
                    apply();
                    table.scrollIntoView({ block: 'start' });
                  });
                });
                apply();
                if (location.hash === '#selftest') {
                  // Applies each filter on its own, one combination and a text search, and writes how many
                  // rows are actually laid out (not merely flagged) into #selftest for the tests to compare.
                  var visible = function () { return rows.filter(function (r) { return r.getClientRects().length > 0; }).length; };
                  var lines = [];
                  ['status', 'phase', 'host'].forEach(function (k) {
                    Array.prototype.forEach.call(f[k].options, function (o) {
                      if (!o.value) return;
                      reset(); f[k].value = o.value; apply();
                      lines.push(k + '=' + o.value + ' ' + visible() + ' ' + shown.textContent);
                    });
                  });
                  reset(); f.phase.value = 'p1'; f.status.value = 'pass'; apply();
                  lines.push('phase=p1,status=pass ' + visible() + ' ' + shown.textContent);
                  reset(); f.q.value = 'chroma'; apply();
                  lines.push('q=chroma ' + visible() + ' ' + shown.textContent);
                  reset(); apply();
                  lines.push('all ' + visible() + ' ' + shown.textContent);
                  var out = document.createElement('pre');
                  out.id = 'selftest';
                  out.textContent = lines.join('\\n');
                  document.body.appendChild(out);
                }
              }
              document.documentElement.setAttribute('data-js', 'ready');
            })();
            """;

    static final String CSS = """
            :root {
              --bg: #f4f5f7; --card: #ffffff; --border: #e1e4e8; --text: #1f2328; --muted: #59636e; --faint: #8c959f;
              --pass: #1f883d; --flaky: #bf8700; --fail: #cf222e; --error: #d1590f; --blocked: #8250df; --skipped: #afb8c1;
              --ready: #1f883d; --not-ready: #bf8700; --v-blocked: #cf222e; --no-data: #6e7781;
              --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
            }
            * { box-sizing: border-box; }
            html { -webkit-text-size-adjust: 100%; }
            body { margin: 0; background: var(--bg); color: var(--text);
              font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
            .wrap { max-width: 1180px; margin: 0 auto; padding: 24px 24px 40px; }
            h1, h2, h3 { margin: 0; line-height: 1.25; }
            h1 { font-size: 22px; font-weight: 650; }
            h2 { font-size: 15px; font-weight: 650; margin-bottom: 12px; }
            h3 { font-size: 15px; font-weight: 600; }
            code, pre { font-family: var(--mono); font-size: 12.5px; }
            a { color: #0969da; text-decoration: none; }
            a:hover { text-decoration: underline; }
            .card { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 18px 20px; }
            .muted { color: var(--muted); }
            .head { display: flex; gap: 24px; align-items: center; justify-content: space-between; border-top: 4px solid var(--no-data); }
            .head.v-ready { border-top-color: var(--ready); }
            .head.v-not-ready, .head.v-incomplete { border-top-color: var(--not-ready); }
            .head.v-blocked { border-top-color: var(--v-blocked); }
            .eyebrow { font-size: 12px; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); font-weight: 600; margin-bottom: 4px; }
            .meta { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 10px; color: var(--muted); font-size: 13px; }
            .meta b { color: var(--text); font-weight: 600; }
            .head-score { min-width: 260px; text-align: right; }
            .score { font-size: 46px; font-weight: 700; line-height: 1; letter-spacing: -.02em; }
            .score .den { font-size: 18px; color: var(--muted); font-weight: 500; margin-left: 2px; }
            .score.none { font-size: 30px; color: var(--no-data); }
            .verdict { display: inline-block; margin-top: 8px; padding: 3px 12px; border-radius: 999px; color: #fff;
              font-weight: 700; font-size: 13px; letter-spacing: .04em; background: var(--no-data); }
            .verdict.v-ready { background: var(--ready); } .verdict.v-not-ready, .verdict.v-incomplete { background: var(--not-ready); }
            .verdict.v-blocked { background: var(--v-blocked); }
            .why { font-size: 12.5px; color: var(--muted); margin-top: 6px; }
            .gauge { position: relative; height: 8px; background: #eaeef2; border-radius: 4px; margin-top: 12px; }
            .gauge .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; background: var(--no-data); }
            .gauge .fill.v-ready { background: var(--ready); } .gauge .fill.v-not-ready, .gauge .fill.v-incomplete { background: var(--not-ready); }
            .gauge .fill.v-blocked { background: var(--v-blocked); }
            .gauge .mark { position: absolute; top: -4px; bottom: -4px; width: 2px; background: var(--text); opacity: .55; }
            .gauge-legend { font-size: 11.5px; color: var(--muted); margin-top: 6px; }
            .banner { margin-top: 14px; padding: 10px 14px; border-radius: 8px; background: #fff8c5; border: 1px solid #d4a72c; }
            .tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin-top: 14px; }
            .tile { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 10px 14px; text-align: left;
              font: inherit; color: inherit; cursor: pointer; border-left: 4px solid var(--skipped); }
            .tile:hover { background: #f6f8fa; }
            .tile .n { display: block; font-size: 22px; font-weight: 700; }
            .tile .l { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; font-weight: 600; }
            .tile.o-pass { border-left-color: var(--pass); } .tile.o-flaky { border-left-color: var(--flaky); }
            .tile.o-fail { border-left-color: var(--fail); } .tile.o-error { border-left-color: var(--error); }
            .tile.o-blocked { border-left-color: var(--blocked); }
            .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; margin-top: 14px; }
            .bar-row { display: grid; grid-template-columns: 96px 1fr 64px; gap: 10px; align-items: center; padding: 5px 0; }
            .bar-row .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
            .bar-row .sub { display: block; font-size: 11.5px; color: var(--muted); font-weight: 400; }
            .bar-row .val { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
            .bar { display: flex; height: 10px; background: #eaeef2; border-radius: 5px; overflow: hidden; }
            .bar span { display: block; height: 100%; }
            .seg-pass { background: var(--pass); } .seg-flaky { background: var(--flaky); } .seg-fail { background: var(--fail); }
            .seg-error { background: var(--error); } .seg-blocked { background: var(--blocked); }
            .fill-good { background: var(--pass); } .fill-mid { background: var(--flaky); } .fill-bad { background: var(--fail); }
            .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 10px; font-size: 12px; color: var(--muted); }
            .legend i { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
            .spark svg { display: block; width: 100%; height: auto; }
            .spark .line { fill: none; stroke: #0969da; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
            .spark .area { fill: #0969da; opacity: .08; }
            .spark .dot { fill: #fff; stroke: #0969da; stroke-width: 1.5; }
            .spark .dot.now { fill: #0969da; }
            .spark .gap { stroke: var(--faint); stroke-width: 1.5; stroke-dasharray: 3 3; }
.spark .val { font-size: 11px; font-weight: 600; fill: var(--text); }
            .spark .thr { stroke: var(--fail); stroke-dasharray: 4 3; opacity: .6; }
            .spark .axis { font-size: 10px; fill: var(--muted); }
            .trend { display: flex; justify-content: space-between; font-size: 12.5px; color: var(--muted); margin-top: 6px; }
            .trend b { color: var(--text); }
            section > h2 { margin: 26px 0 10px; font-size: 16px; }
            .issue { background: var(--card); border: 1px solid var(--border); border-left: 4px solid var(--fail); border-radius: 10px;
              padding: 14px 18px; margin-bottom: 12px; }
            .issue.o-error { border-left-color: var(--error); }
            .issue-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
            .issue-tags { color: var(--muted); font-size: 12.5px; }
            .badge { display: inline-block; min-width: 62px; text-align: center; padding: 1px 8px; border-radius: 999px; font-size: 11px;
              font-weight: 700; letter-spacing: .04em; color: #fff; background: var(--skipped); }
            .badge.o-pass { background: var(--pass); } .badge.o-flaky { background: var(--flaky); } .badge.o-fail { background: var(--fail); }
            .badge.o-error { background: var(--error); } .badge.o-blocked { background: var(--blocked); }
            .badge.o-skipped { background: #eaeef2; color: var(--muted); }
            .on-host { margin-top: 10px; font-size: 12.5px; font-weight: 600; color: var(--muted); }
            .failures { list-style: none; margin: 8px 0 0; padding: 0; }
            .failures li { font-family: var(--mono); font-size: 12.5px; background: #fff5f5; border: 1px solid #ffd8d3; color: #82071e;
              border-radius: 6px; padding: 6px 10px; margin-bottom: 6px; white-space: pre-wrap; word-break: break-word; }
            .o-error .failures li { background: #fff8f0; border-color: #ffd9b8; color: #7a2e00; }
            details.evidence { margin-top: 6px; }
            details.evidence summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
            .ev { width: 100%; border-collapse: collapse; margin-top: 6px; }
            .ev th { text-align: left; vertical-align: top; width: 1%; white-space: nowrap; padding: 4px 12px 4px 0; font-weight: 600;
              font-family: var(--mono); font-size: 12px; color: var(--muted); }
            .ev td { padding: 4px 0; }
            .ev pre, .notes pre { margin: 0; padding: 6px 10px; background: #f6f8fa; border: 1px solid var(--border); border-radius: 6px;
              white-space: pre-wrap; word-break: break-word; max-height: 180px; overflow: auto; }
            .passed-on { margin-top: 8px; font-size: 12.5px; color: var(--pass); }
            .fix { display: flex; gap: 10px; align-items: center; margin-top: 12px; padding: 8px 12px; background: #f0f6ff;
              border: 1px solid #c8dcf7; border-radius: 8px; }
            .fix .k { font-size: 11px; font-weight: 700; letter-spacing: .05em; text-transform: uppercase; color: #0550ae; }
            .fix code { user-select: all; color: #0a3069; word-break: break-all; }
            .blocks { margin-top: 10px; font-size: 13px; }
            .blocks .k { color: var(--blocked); font-weight: 600; }
            .blocks ul { margin: 4px 0 0; padding-left: 20px; }
            .filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 12px; }
            .filters label { font-size: 12px; color: var(--muted); font-weight: 600; display: flex; gap: 6px; align-items: center; }
            .filters select, .filters input { font: inherit; font-size: 13px; padding: 5px 8px; border: 1px solid #d0d7de; border-radius: 6px;
              background: #fff; color: var(--text); }
            .filters input { width: 220px; }
            .filters button { font: inherit; font-size: 13px; padding: 5px 10px; border: 1px solid #d0d7de; border-radius: 6px;
              background: #f6f8fa; cursor: pointer; }
            .filters .count { margin-left: auto; font-size: 12.5px; color: var(--muted); }
            table.checks { width: 100%; border-collapse: collapse; }
            table.checks th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; padding: 8px 10px;
              border-bottom: 1px solid var(--border); background: #f6f8fa; position: sticky; top: 0; }
            table.checks td { padding: 8px 10px; border-bottom: 1px solid #eef0f2; vertical-align: top; }
            table.checks tr:hover td { background: #fafbfc; }
            table.checks .id { font-family: var(--mono); font-size: 11.5px; color: var(--muted); }
            table.checks .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            table.checks .msg { color: var(--muted); word-break: break-word; max-width: 360px; }
            .empty { padding: 16px; text-align: center; color: var(--muted); }
            footer { margin-top: 26px; font-size: 12px; color: var(--muted); text-align: center; }
            #js-errors { background: #ffebe9; color: #82071e; padding: 10px; margin: 0; }
            @media (max-width: 760px) { .head { flex-direction: column; align-items: stretch; } .head-score { text-align: left; }
              .tiles { grid-template-columns: repeat(3, 1fr); } }
            @media print { .filters, .tiles { display: none; } body { background: #fff; } }
            """;

    /** The CSP source for an inline script: its SHA-256, base64, as browsers compute it over the exact text. */
    static String cspHash(String script) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(d) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
