import CausalMMMCore

// The Reports module: text and JSON tables, SVG charts, the self-contained HTML report.
//
// Everything takes plain arrays; every chart is a small value type whose `svg()` returns a
// standalone SVG document (no dependencies, no network, no JavaScript).
//
// Charts (all conform to `Chart`: `title`, `svg() -> String`):
//   LineChart(title:xLabel:yLabel:series:bands:markers:yIncludesZero:width:height:)
//     Series(name:x:y:dashed:showsMarkers:markersOnly:color:)    numeric x
//     Series(name:dates:y:...)                                   calendar x axis (UTC)
//     Band(name:x:lower:upper:) / Band(name:dates:lower:upper:)  shaded interval (HDI, PPC)
//     VerticalMarker(x:label:) / VerticalMarker(date:label:)     train/test split, test start
//   StackedAreaChart(title:xLabel:yLabel:x: or dates:, components: [AreaComponent(name:values:)],
//                    overlays: [Series])                         contributions over time
//   SaturationChart(title:xLabel:yLabel:curves: [SaturationCurve(name:x:mean:lower:upper:truth:
//                    liftTests: [LiftTestMark(x:deltaX:deltaY:sigma:)])], errorBarSigmas:)
//   ParameterRecoveryChart(title:xLabel:parameters:truth: [Double?],
//                    fits: [IntervalEstimates(name:mean:lower:upper:)], relativeToTruth:)
//   BarChart(title:xLabel:categories:series: [BarSeries(name:values:lower:upper:)])
//   BarChart.hdiWidthComparison(title:parameters:first: (name, widths), second: (name, widths))
//   WaterfallChart(title:xLabel:steps:values:totalLabel:)      contribution shares
//   DensityChart(title:xLabel:rows:fits: [PosteriorDraws(name:draws: [[Double]])],
//                references: [ReferenceValues(name:values: [Double?])])   ROAS posteriors
//
// Tables: Table(columns:rows: [[TableCell]], caption:) with .text(), .html(), .json();
//   TableCell is .text, .number(value, decimals:), .integer, .bool, .empty (or a literal).
//
// Report: HTMLReport(title:subtitle:).section("Heading", [ReportBlock]) ... .html() / .write(to:)
//   / .writeStandaloneSVGs(to:). Blocks: .heading, .paragraph, .list, .preformatted, .table,
//   .chart(chart, caption:), .svg(svgText, caption:), ReportBlock.dag(dag, annotations:, caption:)
//   (Graphviz-rendered DAG, inlined without its XML prolog/doctype).
//
// Saved fits: FitDirectory.load(DIR) reads `causal-mmm fit --out DIR` (summary.json required;
//   chain-N.csv, contributions.csv, roas.json, fitted.csv optional) with LocatedError (file:line) on
//   bad input; with fitted.csv the report draws observed vs fitted and the baseline layer;
//   FitReport.report(fits: [FitReport.LabelledFit(label:fit:)], truth: [name: value]) builds the
//   report of one fit or a comparison; FitReport.readTruth(path) reads {"name": value, "roas[ch]": v}.
//   CLI: causal-mmm report --fit DIR [--compare DIR2] [--truth T.json] [--labels a,b] -o out.html
//        [--svg-dir DIR];  causal-mmm report --gallery -o gallery.html.
//
// Helpers: NiceTicks (1-2-5 ticks), DateTicks (calendar ticks), LinearScale, Palette (Okabe-Ito),
//   xmlEscaped(_:), inlineSVG(_:), formatNumber(_:),
//   ChartGallery.report() (every chart type on synthetic data, for looking at the rendering).
//
// Command outputs built here, so the CLI only parses, calls and writes:
//   CalibrationTrapReport (`demo calibration-trap`): text(result), json(result), the charts,
//     dagSVG(result), html(result, dagSVG:) and write(result, to: DIR) (results.json, SVGs, report.html).
//   CrossValidationReport (`cv`): table(folds, channels:), json(folds), report(...), write(..., to: DIR).
