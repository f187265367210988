/* report_formats.c - the output formats by name and by extension (report.h). */
#include "report.h"

#include <string.h>
#include <strings.h>

static const report_format formats[] = {
    {"text", report_text, false},
    {"json", report_json, false},
    {"html", report_html, false},
    {"xlsx", report_xlsx, true},
    {"csv", report_csv, false},
};

static const struct {
    const char *ext;
    const char *format;
} extensions[] = {
    {".txt", "text"}, {".json", "json"}, {".html", "html"}, {".htm", "html"}, {".xlsx", "xlsx"}, {".csv", "csv"},
};

const report_format *report_format_named(const char *name)
{
    for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

const report_format *report_format_of_path(const char *path)
{
    if (!path)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) /* ".json" alone is a hidden file's name, not an extension */
        return NULL;
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
        if (strcasecmp(dot, extensions[i].ext) == 0)
            return report_format_named(extensions[i].format);
    return NULL;
}

const char *report_format_names(void)
{
    return "text, json, html, xlsx or csv";
}
