// The Reports module: text and JSON tables, SVG charts, the HTML report.
