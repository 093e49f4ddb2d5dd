// libFuzzer entry point: YAML/JSON text -> MMMConfiguration -> model on a small fixed table. Any
// input must either be accepted or refused with a one-line LocatedError; an accepted configuration must
// survive its JSON round trip (the form saved next to a fit). A crash, a trap or a sanitizer
// report is a finding.
import CausalMMMCore
import Foundation
import Inference
import MMM

/// A small weekly table with two geos (`geo`) or one (`national`): tv, radio, price and y.
private func table(geos geoNames: [String]) -> MMMData {
  var dates: [CalendarDate] = []
  var geos: [String] = []
  var columns: [String: [Double]] = ["tv": [], "radio": [], "price": [], "y": []]
  for g in geoNames {
    for t in 0..<12 {
      dates.append(CalendarDate(year: 2023, month: 1, day: 2)!.adding(days: 7 * t))
      geos.append(g)
      let tv = Double((t * 37) % 11) * 10
      let radio = Double((t * 17) % 7) * 5
      columns["tv"]!.append(tv)
      columns["radio"]!.append(radio)
      columns["price"]!.append(Double(t % 3))
      columns["y"]!.append(10 + tv / 50 + radio / 40 + Double(t % 2))
    }
  }
  return try! MMMData(
    dates: dates, geos: geoNames.count > 1 ? geos : nil, columns: columns, sourceName: "<fuzz>")
}

private let geoTable = table(geos: ["north", "south"])
private let nationalTable = table(geos: ["all"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  do {
    let configuration = try MMMConfiguration.parse(text: text, name: "fuzz.yaml")
    let saved = try JSONDecoder().decode(MMMConfiguration.self, from: Data(configuration.jsonText().utf8))
    precondition(saved == configuration, "configuration changed in its JSON round trip")
    let data = configuration.geoColumn == nil ? nationalTable : geoTable
    let model = try MMMModel(configuration: configuration, data: data)
    var gradient = [Double](repeating: 0, count: model.dimension)
    let origin = [Double](repeating: 0, count: model.dimension)
    let value = origin.withUnsafeBufferPointer { position in
      gradient.withUnsafeMutableBufferPointer { model.logDensity(at: position, gradient: $0) }
    }
    precondition(!value.isNaN, "NaN log density at the origin of an accepted model")
  } catch let error as LocatedError {
    precondition(!error.description.isEmpty && !error.description.contains("\n"), "\(error)")
  } catch {
    preconditionFailure("not an LocatedError: \(error)")
  }
  return 0
}
