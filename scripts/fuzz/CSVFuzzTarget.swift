// libFuzzer entry point: CSV text -> MMMData -> validated model (and the same text as a lift-test
// table). Any input must either be accepted or refused with an LocatedError; a crash, a trap, a
// sanitizer report or a NaN log density at the origin of an accepted model is a finding.
import CausalMMMCore
import Inference
import MMM

private let national = MMMConfiguration(
  channelColumns: ["tv", "radio"], adstock: .init(type: .geometric, lMax: 3, normalize: true))
private let geo: MMMConfiguration = {
  var configuration = national
  configuration.geoColumn = "geo"
  return configuration
}()

private func exercise(_ text: String, _ configuration: MMMConfiguration) {
  do {
    let data = try MMMData.parseCSV(
      text: text, name: "fuzz.csv", dateColumn: configuration.dateColumn, geoColumn: configuration.geoColumn,
      numericColumns: configuration.channelColumns + [configuration.targetColumn], rejectOtherColumns: true)
    let lifts = (try? LiftTest.parseCSV(text: text, name: "fuzz.csv")) ?? []
    let model = try MMMModel(configuration: configuration, data: data, liftTests: lifts)
    var gradient = [Double](repeating: 0, count: model.dimension)
    let origin = [Double](repeating: 0, count: model.dimension)
    let value = origin.withUnsafeBufferPointer { position in
      gradient.withUnsafeMutableBufferPointer { model.logDensity(at: position, gradient: $0) }
    }
    precondition(!value.isNaN, "NaN log density at the origin of an accepted model")
  } catch let error as LocatedError {
    precondition(!error.description.isEmpty && !error.description.contains("\n"))
  } catch {
    preconditionFailure("not an LocatedError: \(error)")
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  exercise(text, national)
  exercise(text, geo)
  if let lifts = try? LiftTest.parseCSV(text: text, name: "fuzz.csv") {
    for lift in lifts { precondition(lift.x.isFinite && lift.sigma.isFinite) }
  }
  return 0
}
