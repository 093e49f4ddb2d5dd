import CausalGraph
import CausalMMMCore
import Foundation
import GraphvizIO

/// Every chart type drawn from synthetic, deterministic data: a page to look at after changing
/// the drawing code (`causal-mmm report --gallery -o gallery.html`, then
/// `scripts/reports/render_png.sh gallery.html`).
///
/// The numbers are made up (the package's seeded generator, MMM-like shapes); they illustrate the charts,
/// they are not results.
public enum ChartGallery {
  /// The gallery as a report; the DAG figure is replaced by a note if Graphviz is unavailable.
  public static func report() -> HTMLReport {
    var random = Xoshiro256StarStar(seed: 42)
    let start = Date(timeIntervalSince1970: 1_672_617_600)  // Monday 2023-01-02
    let weeks = (0..<104).map { start.addingTimeInterval(Double($0) * 7 * 86_400) }
    let trend = (0..<104).map { 2_000 + 6 * Double($0) + 350 * sin(2 * Double.pi * Double($0) / 52) }
    let tvSpend = (0..<104).map { index -> Double in index % 13 < 6 ? 300 + 40 * Double(index % 5) : 40 }
    let tvEffect = tvSpend.map { 900 * $0 / ($0 + 250) }
    let searchEffect = (0..<104).map { 260 + 90 * cos(2 * Double.pi * Double($0) / 26) }
    let priceEffect = (0..<104).map { -120 - 60 * sin(2 * Double.pi * Double($0) / 17) }
    let mean = (0..<104).map { trend[$0] + tvEffect[$0] + searchEffect[$0] + priceEffect[$0] }
    let observed = mean.map { $0 + 110 * random.nextNormal() }
    let spread = mean.indices.map { 190 + 40 * Double($0) / 104 }

    let fitChart = LineChart(
      title: "Sales: observed and posterior predictive", xLabel: "Week", yLabel: "Sales (units)",
      series: [
        Series(name: "posterior predictive mean", dates: weeks, y: mean),
        Series(name: "observed", dates: weeks, y: observed, markersOnly: true, color: Palette.truth),
      ],
      bands: [
        Band(
          name: "94% HDI", dates: weeks, lower: zip(mean, spread).map { $0 - $1 },
          upper: zip(mean, spread).map { $0 + $1 }),
        Band(
          name: "50% HDI", dates: weeks, lower: zip(mean, spread).map { $0 - 0.36 * $1 },
          upper: zip(mean, spread).map { $0 + 0.36 * $1 }, opacity: 0.3),
      ],
      markers: [VerticalMarker(date: weeks[78], label: "test window starts")])

    let areaChart = StackedAreaChart(
      title: "Contributions over time", xLabel: "Week", yLabel: "Sales (units)", dates: weeks,
      components: [
        AreaComponent(name: "baseline (intercept + trend)", values: trend),
        AreaComponent(name: "TV", values: tvEffect),
        AreaComponent(name: "search", values: searchEffect),
        AreaComponent(name: "price (control)", values: priceEffect),
      ],
      overlays: [Series(name: "observed sales", dates: weeks, y: observed, markersOnly: true)])

    let spendGrid = (0...40).map { Double($0) * 25 }
    func curve(_ lam: Double, _ beta: Double) -> [Double] { spendGrid.map { beta * $0 / ($0 + lam) } }
    let tvMean = curve(270, 940)
    let searchMean = curve(120, 420)
    let saturation = SaturationChart(
      title: "Saturation curves with lift tests", xLabel: "Weekly spend (EUR thousands)",
      yLabel: "Contribution (units per week)",
      curves: [
        SaturationCurve(
          name: "TV", x: spendGrid, mean: tvMean,
          lower: zip(tvMean, spendGrid).map { $0 - 0.12 * $0 - 0.03 * $1 },
          upper: zip(tvMean, spendGrid).map { $0 + 0.12 * $0 + 0.03 * $1 }, truth: curve(250, 900),
          liftTests: [
            LiftTestMark(x: 200, deltaX: 150, deltaY: 170, sigma: 35),
            LiftTestMark(x: 600, deltaX: 200, deltaY: 70, sigma: 30),
          ]),
        SaturationCurve(
          name: "search", x: spendGrid, mean: searchMean,
          lower: searchMean.map { $0 * 0.85 }, upper: searchMean.map { $0 * 1.15 },
          truth: curve(100, 400),
          liftTests: [LiftTestMark(x: 100, deltaX: 100, deltaY: 75, sigma: 20)]),
      ])

    let parameters = [
      "adstock_alpha[TV]", "adstock_alpha[search]", "saturation_lam[TV]", "saturation_lam[search]",
      "saturation_beta[TV]", "saturation_beta[search]",
    ]
    let truth: [Double?] = [0.6, 0.2, 2.5, 1.2, 0.9, 0.4]
    let uncalibrated = IntervalEstimates(
      name: "uncalibrated", mean: [0.52, 0.31, 3.4, 0.8, 1.25, 0.33],
      lower: [0.31, 0.05, 1.2, 0.2, 0.6, 0.12], upper: [0.75, 0.58, 6.1, 1.9, 1.9, 0.6])
    let calibrated = IntervalEstimates(
      name: "calibrated", mean: [0.58, 0.24, 2.6, 1.1, 0.95, 0.41],
      lower: [0.45, 0.1, 2.0, 0.7, 0.78, 0.3], upper: [0.7, 0.4, 3.3, 1.6, 1.12, 0.53])
    let recovery = ParameterRecoveryChart(
      title: "Posterior vs true parameters", xLabel: "parameter value", parameters: parameters,
      truth: truth, fits: [uncalibrated, calibrated])
    let recoveryRelative = ParameterRecoveryChart(
      title: "Posterior relative to the truth", parameters: parameters, truth: truth,
      fits: [uncalibrated, calibrated], relativeToTruth: true)
    let widths = BarChart.hdiWidthComparison(
      title: "HDI width: uncalibrated vs calibrated", parameters: parameters,
      first: ("uncalibrated", zip(uncalibrated.upper, uncalibrated.lower).map { $0 - $1 }),
      second: ("calibrated", zip(calibrated.upper, calibrated.lower).map { $0 - $1 }))

    func draws(mean: Double, sd: Double, count: Int = 2_000) -> [Double] {
      (0..<count).map { _ in mean + sd * random.nextNormal() }
    }
    let channels = ["TV", "search", "social"]
    let roas = DensityChart(
      title: "ROAS posteriors", xLabel: "ROAS (sales units per EUR)", rows: channels,
      fits: [
        PosteriorDraws(
          name: "baseline",
          draws: [draws(mean: 2.6, sd: 0.35), draws(mean: 1.4, sd: 0.3), draws(mean: 0.9, sd: 0.4)]),
        PosteriorDraws(
          name: "calibrated",
          draws: [draws(mean: 1.9, sd: 0.15), draws(mean: 1.05, sd: 0.2), draws(mean: 0.7, sd: 0.25)]),
      ],
      references: [
        ReferenceValues(name: "true ROAS", values: [1.8, 1.0, 0.75]),
        ReferenceValues(name: "lift-test estimate", values: [1.95, nil, 0.6]),
      ])

    let shares = BarChart(
      title: "Contribution shares: estimated vs true", xLabel: "Share of incremental sales (%)",
      categories: ["TV", "search", "social", "baseline"],
      series: [
        BarSeries(
          name: "estimated (mean)", values: [31, 12, 6, 51], lower: [26, 9, 3, 45], upper: [36, 15, 9, 57]),
        BarSeries(name: "true", values: [29, 13, 5, 53], color: Palette.truth),
      ], valueSuffix: "%")
    let waterfall = WaterfallChart(
      title: "Sales decomposition (waterfall)", xLabel: "Sales over the two years (units)",
      steps: ["baseline", "TV", "search", "social", "price (control)"],
      values: [231_000, 61_000, 27_000, 9_500, -14_500])

    let cv = LineChart(
      title: "Time-slice cross-validation: saturation_lam[TV] per fold", xLabel: "Fold (training weeks)",
      yLabel: "saturation_lam[TV]",
      series: [
        Series(
          name: "posterior mean", x: [52, 60, 68, 76, 84, 92], y: [3.1, 2.8, 2.7, 2.55, 2.6, 2.52],
          showsMarkers: true),
        Series(name: "true value", x: [52, 92], y: [2.5, 2.5], dashed: true, color: Palette.truth),
      ],
      bands: [
        Band(
          name: "94% HDI", x: [52, 60, 68, 76, 84, 92], lower: [1.4, 1.6, 1.9, 2.0, 2.1, 2.15],
          upper: [5.2, 4.4, 3.7, 3.2, 3.15, 3.0])
      ],
      yIncludesZero: true)

    let bigNumbers = LineChart(
      title: "Large values & escaping: revenue <EUR> \"net\"", xLabel: "Spend (EUR)",
      yLabel: "Revenue (EUR)",
      series: [
        Series(
          name: "A & B <combined>", x: (0...20).map { Double($0) * 75_000 },
          y: (0...20).map { 2.1e6 + 1.3e5 * Double($0) }),
        Series(
          name: "'C'", x: (0...20).map { Double($0) * 75_000 },
          y: (0...20).map { 1.8e6 + 2.2e5 * sqrt(Double($0)) }, dashed: true),
      ])

    let table = Table(
      columns: [
        "parameter", "true", "mean (uncal.)", "HDI width (uncal.)", "mean (cal.)", "HDI width (cal.)",
        "covered",
      ],
      rows: parameters.indices.map { index in
        [
          .text(parameters[index]), .number(truth[index] ?? .nan, decimals: 2),
          .number(uncalibrated.mean[index], decimals: 2),
          .number(uncalibrated.upper[index] - uncalibrated.lower[index], decimals: 2),
          .number(calibrated.mean[index], decimals: 2),
          .number(calibrated.upper[index] - calibrated.lower[index], decimals: 2),
          .bool(truth[index].map { calibrated.lower[index] <= $0 && $0 <= calibrated.upper[index] } ?? false),
        ]
      }, caption: "Parameter recovery (synthetic numbers)")

    var dagBlock: ReportBlock
    do {
      let dag = try CausalDAG(
        nodes: ["season", "TV", "search", "social", "price", "sales", "z"].map {
          CausalDAG.Node(name: $0, isLatent: $0 == "z")
        },
        edges: [
          ("season", "TV"), ("season", "search"), ("season", "sales"), ("TV", "search"), ("TV", "sales"),
          ("search", "sales"), ("social", "sales"), ("price", "sales"), ("z", "social"), ("z", "sales"),
        ])
      dagBlock = try ReportBlock.dag(
        dag,
        annotations: DAGAnnotations(
          treatments: ["TV"], outcomes: ["sales"], adjustmentSet: ["season"], mediators: ["search"]),
        caption: "The causal DAG (Graphviz), inlined without its XML prolog")
    } catch {
      dagBlock = .paragraph("The DAG could not be drawn: \(error)")
    }

    return HTMLReport(
      title: "Chart gallery", subtitle: "Every chart type of the Reports module, on synthetic data."
    )
    .section("Causal graph", [dagBlock])
    .section(
      "Fit over time",
      [
        .paragraph(
          "Observed weekly sales against the posterior predictive mean, with 50% and 94% HDI bands."),
        .chart(fitChart, caption: "Posterior predictive check."),
        .chart(
          areaChart, caption: "Contributions stacked; the price control is negative and stacks downwards."),
      ]
    )
    .section(
      "Saturation and lift tests",
      [
        .chart(
          saturation,
          caption:
            "Posterior mean (solid), 94% HDI (band), true curve (dashed); lift tests start on the mean curve and end at start + measured lift, with +/- 1 sigma error bars."
        )
      ]
    )
    .section(
      "Parameters",
      [
        .chart(recovery, caption: "Posterior means with 94% HDI against the true values."),
        .chart(recoveryRelative, caption: "The same, divided by the true value."),
        .chart(widths, caption: "HDI widths, with the relative change in each label."),
        .table(table),
        .preformatted(table.text()),
      ]
    )
    .section(
      "ROAS and contributions",
      [
        .chart(roas, caption: "Posterior densities of ROAS with the true values and lift-test estimates."),
        .chart(shares, caption: "Contribution shares with 94% HDI error bars."),
        .chart(waterfall, caption: "Additive decomposition of total sales."),
      ]
    )
    .section(
      "Cross-validation and edge cases",
      [
        .chart(cv, caption: "Parameter stability over expanding training windows."),
        .chart(bigNumbers, caption: "Millions with k/M suffixes; labels with <, & and quotes escaped."),
        .list(["A list item with <angle brackets> & an ampersand", "Second item"]),
      ])
  }
}
