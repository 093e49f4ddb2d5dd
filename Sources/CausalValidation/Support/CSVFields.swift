import Foundation

/// Splits one CSV line at the commas outside double quotes, dropping the quotes and trimming spaces.
/// Enough to learn a header's column names or read a plain numeric table; MMMData's reader, with its
/// located errors, parses the data tables of `test-dag`.
func csvFields(_ line: Substring) -> [String] {
  var fields: [String] = []
  var current = ""
  var quoted = false
  for character in line {
    if character == "\"" {
      quoted.toggle()
    } else if character == "," && !quoted {
      fields.append(current)
      current = ""
    } else {
      current.append(character)
    }
  }
  fields.append(current)
  return fields.map { $0.trimmingCharacters(in: .whitespaces) }
}
