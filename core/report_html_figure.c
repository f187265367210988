/* report_html_figure.c - the usage figure on top of the HTML report
 * (report_html_out.h): how much of the verantwoordingsgrens the counted
 * afwijkingen use, drawn in inline SVG so the page stays self-contained. */
#include "report_html_out.h"

#include <stdbool.h>
#include <stdint.h>

/* part / whole in hundredths of a percent (10000 = 100%), for drawing and
 * the caption; whole > 0. Exact for amounts below 9e14 cents, near enough
 * (a drawing) above. */
static int64_t ratio_bp(rhv_cents part, rhv_cents whole)
{
    if (part <= 0)
        return 0;
    if (part > INT64_MAX / 10000)
        return whole / 10000 > 0 ? part / (whole / 10000) : INT64_MAX;
    return div_round_half_away(part * 10000, whole);
}

#define BAR_W 600  /* SVG user units; the bar scales with the page */
#define BAR_X 0

/* x in the bar for a ratio of the scale (bp of the scale). */
static int64_t bar_x(int64_t bp)
{
    return BAR_X + (bp > 10000 ? 10000 : bp) * BAR_W / 10000;
}

/* One bar: the counted amounts (one or two segments) against one grens. The
 * scale is the larger of grens and total, so a total above the grens shows
 * how far above. */
static void bar(html_ctx *c, int y, const char *label, rhv_cents fouten, rhv_cents onz, rhv_cents grens)
{
    rhv_cents total;
    if (!money_add(fouten, onz, &total))
        total = INT64_MAX;
    rhv_cents scale = total > grens ? total : grens;
    if (scale <= 0)
        scale = 1;
    int64_t xf = bar_x(ratio_bp(fouten, scale));
    int64_t xt = bar_x(ratio_bp(total, scale));
    int64_t xg = bar_x(ratio_bp(grens, scale));
    html_putf(c, "<text x=\"0\" y=\"%d\" font-size=\"13\" fill=\"#1b1b1b\">", y);
    html_esc(c, label);
    html_put(c, "</text>\n");
    int by = y + 6;
    html_putf(c, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" fill=\"#eef1f5\" stroke=\"#c8c8c8\"/>\n", BAR_X, by,
         BAR_W);
    if (xf > BAR_X)
        html_putf(c, "<rect x=\"%d\" y=\"%d\" width=\"%lld\" height=\"22\" fill=\"#1f4e79\"/>\n", BAR_X, by,
             (long long)(xf - BAR_X));
    if (xt > xf)
        html_putf(c, "<rect x=\"%lld\" y=\"%d\" width=\"%lld\" height=\"22\" fill=\"#7fa7d1\"/>\n", (long long)xf, by,
             (long long)(xt - xf));
    if (xt > xg)
        html_putf(c, "<rect x=\"%lld\" y=\"%d\" width=\"%lld\" height=\"22\" fill=\"#b3261e\"/>\n",
             (long long)xg, by, (long long)(xt - xg));
    html_putf(c, "<line x1=\"%lld\" y1=\"%d\" x2=\"%lld\" y2=\"%d\" stroke=\"#1b1b1b\" stroke-width=\"2\"/>\n",
         (long long)(xg > BAR_X + BAR_W - 1 ? BAR_X + BAR_W - 1 : xg), by - 4,
         (long long)(xg > BAR_X + BAR_W - 1 ? BAR_X + BAR_W - 1 : xg), by + 26);
}

/* "72,8%" of a ratio in bp, to one decimal. */
static void pct1(char buf[32], int64_t bp)
{
    int64_t pm = div_round_half_away(bp, 10);
    snprintf(buf, 32, "%lld,%lld%%", (long long)(pm / 10), (long long)(pm % 10));
}

static void usage_caption(html_ctx *c, const char *what, rhv_cents used, rhv_cents grens)
{
    char b1[MONEY_FMT_MAX], b2[MONEY_FMT_MAX], p[32];
    if (grens > 0)
        pct1(p, ratio_bp(used, grens));
    else
        snprintf(p, sizeof p, "-");
    char line[200];
    snprintf(line, sizeof line, "%s: %s van %s gebruikt (%s)", what, money_format(used, b1),
             money_format(grens, b2), p);
    html_esc(c, line);
}

static void legend(html_ctx *c, int y, bool over)
{
    html_putf(c, "<rect x=\"0\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#1f4e79\"/>"
            "<text x=\"18\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">fouten</text>\n", y, y + 11);
    html_putf(c, "<rect x=\"90\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#7fa7d1\"/>"
            "<text x=\"108\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">onzekerheden</text>\n", y, y + 11);
    html_putf(c, "<line x1=\"216\" y1=\"%d\" x2=\"216\" y2=\"%d\" stroke=\"#1b1b1b\" stroke-width=\"2\"/>"
            "<text x=\"224\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">grens</text>\n", y - 1, y + 13, y + 11);
    if (over)
        html_putf(c, "<rect x=\"280\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#b3261e\"/>"
                "<text x=\"298\" y=\"%d\" font-size=\"12\" fill=\"#1b1b1b\">boven de grens</text>\n", y, y + 11);
}

/* The figure on top: how much of the grens (or of each grens) is used. */
void html_usage_figure(html_ctx *c, const rhv_report *r)
{
    if (!r->have_verdict)
        return;
    const verdict_result *v = &r->vres;
    bool sep = r->vin.gescheiden;
    int h = sep ? 112 : 64;
    html_put(c, "<figure class=\"gebruik\">\n");
    html_putf(c, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", BAR_W, h);
    if (sep)
        html_put(c, "Gebruik van de verantwoordingsgrenzen");
    else
        html_put(c, "Gebruik van de verantwoordingsgrens");
    html_put(c, "\">\n");
    if (sep) {
        bar(c, 14, "Fouten", v->fouten, 0, v->grens_fouten);
        bar(c, 62, "Onzekerheden", 0, v->onzekerheden, v->grens_onzekerheden);
        legend(c, 98, v->boven);
    } else {
        bar(c, 14, "Fouten en onzekerheden die meetellen", v->fouten, v->onzekerheden, v->grens);
        legend(c, 50, v->boven);
    }
    html_put(c, "</svg>\n<figcaption>");
    if (sep) {
        usage_caption(c, "Fouten", v->fouten, v->grens_fouten);
        html_put(c, "<br>\n");
        usage_caption(c, "Onzekerheden", v->onzekerheden, v->grens_onzekerheden);
    } else {
        usage_caption(c, "Verantwoordingsgrens", v->total, v->grens);
    }
    /* As the Uitkomst says: a partial check measures only what it checked. */
    if (report_partial(r))
        html_put(c, "<br>\nAlleen het gecontroleerde deel (zie Reikwijdte).");
    /* As the Uitkomst says: the figures are the scenario's. */
    if (r->scenario)
        html_put(c, "<br>\nIn dit scenario (zie boven).");
    html_put(c, "</figcaption>\n</figure>\n");
}
