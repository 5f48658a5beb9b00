package io.trainyard.report;

/** The frame every report page shares: one self-contained HTML document, its styles inline, nothing fetched. */
final class Page {
    private static final String STYLE = "body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 8px;border-bottom:1px solid #ddd;"
            + "text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}tr.best{background:#eef6ee}"
            + "svg{margin:8px 16px 8px 0;border:1px solid #ddd;background:#fff}text{font:11px sans-serif}"
            + ".charts{display:flex;flex-wrap:wrap;align-items:flex-start}"
            + "table.confusion td{min-width:3em;text-align:center}";

    private Page() {}

    /** The document up to and including {@code <body>} and the page's heading. */
    static StringBuilder open(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>")
                .append(Svg.esc(title))
                .append("</title>\n<style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>")
                .append(Svg.esc(title))
                .append("</h1>\n");
    }

    static String close(StringBuilder page) {
        return page.append("</body></html>\n").toString();
    }
}
