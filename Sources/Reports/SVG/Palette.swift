/// Colours for chart series: the Okabe-Ito palette, distinguishable with the common forms of
/// colour blindness. Yellow is last because it is faint on white.
public enum Palette {
  /// The series colours in order of use.
  public static let colors = [
    "#0072B2",  // blue
    "#E69F00",  // orange
    "#009E73",  // bluish green
    "#D55E00",  // vermillion
    "#CC79A7",  // reddish purple
    "#56B4E9",  // sky blue
    "#F0E442",  // yellow
    "#000000",  // black
  ]

  /// The colour of the `index`-th series (cycling).
  public static func color(_ index: Int) -> String {
    colors[((index % colors.count) + colors.count) % colors.count]
  }

  /// The colour used for "truth" and reference marks: near-black, distinct from every series.
  public static let truth = "#222222"
  /// Grid lines.
  static let grid = "#e3e3e3"
  /// Axis lines and tick marks.
  static let axis = "#555555"
  /// Secondary text (tick labels).
  static let mutedText = "#444444"
}
