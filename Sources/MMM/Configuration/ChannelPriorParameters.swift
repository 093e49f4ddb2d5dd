import CausalMMMCore

// Priors whose parameters are per-channel arrays, as PyMC-Marketing's
// `Prior("HalfNormal", sigma=cost_share, dims="channel")`: the array's dimension must be one of the
// prior's dims (PyMC's "parameter dims are not a subset of the prior dims" otherwise), and a prior over
// (geo, channel) takes the channel's value in every geo (xarray broadcasting). One check
// (`channelParameterProblem`) serves the YAML reader, which locates it at the offending key's line, and
// `validated()` for configurations built in code; one resolution (`resolvingCostShare`) turns the
// `cost_share` shorthand into numbers when a model is built from its training data.

extension MMMConfiguration.PriorSettings {
  /// The prior for one channel: the scalar parameters with the channel's values in place.
  ///
  /// - Parameter channel: the channel, or `nil` for a prior without per-channel parameters.
  /// - Returns: the prior, or a message naming the invalid parameter; a `cost_share` not yet resolved
  ///   or a channel without a value is a failure.
  func prior(channel: String?) -> Result<Prior, MessageError> {
    var merged = parameters
    for (key, values) in channelParameters ?? [:] {
      guard case .byChannel(let byChannel) = values, let channel, let value = byChannel[channel] else {
        return .failure(
          MessageError("parameter '\(key)' has no resolved value for channel '\(channel ?? "")'"))
      }
      merged[key] = value
    }
    return Prior.make(dist, parameters: merged)
  }

  /// Whether some parameter is given per channel.
  var hasChannelParameters: Bool { !(channelParameters ?? [:]).isEmpty }
}

extension MMMConfiguration {
  /// What is wrong with a prior's per-channel parameters, if anything: the key path below the prior's
  /// name (`sigma` or `sigma.x3`) and the message.
  ///
  /// - Parameters:
  ///   - name: the prior's name (`saturation_beta`).
  ///   - settings: the prior.
  ///   - channelPriorNames: the names whose slots are per channel (the transforms' parameters).
  func channelParameterProblem(
    _ name: String, _ settings: PriorSettings, channelPriorNames: [String]
  ) -> (key: String, message: String)? {
    guard let channelParameters = settings.channelParameters, !channelParameters.isEmpty else { return nil }
    let channels = channelColumns
    let listed = channels.joined(separator: ", ")
    for (key, values) in channelParameters.sorted(by: { $0.key < $1.key }) {
      guard channelPriorNames.contains(name) else {
        return (
          key,
          "per-channel values need a prior over channels (\(channelPriorNames.joined(separator: ", "))); "
            + "'\(name)' has one value"
        )
      }
      if let dims = settings.dims, !dims.contains("channel") {
        return (
          key,
          "per-channel values need 'channel' among the prior's dims, got [\(dims.joined(separator: ", "))]"
        )
      }
      if settings.parameters[key] != nil {
        return (key, "given both as one value and per channel")
      }
      switch values {
      case .costShare: continue
      case .inChannelOrder(let list):
        guard list.count == channels.count else {
          return (key, "\(list.count) value(s) for \(channels.count) channel(s) (\(listed)), in that order")
        }
      case .byChannel(let byChannel):
        for channel in byChannel.keys.sorted() where !channels.contains(channel) {
          return (
            "\(key).\(channel)",
            "unknown channel '\(channel)'\(didYouMean(channel, channels)) (channels: \(listed))"
          )
        }
        for channel in channels where byChannel[channel] == nil {
          return (key, "no value for channel '\(channel)' (channels: \(listed))")
        }
      }
    }
    // Every channel's prior must be valid (a non-positive sigma, ...): built with the channel's values
    // (a `cost_share`, resolved later to a share in (0, 1], stands in as 1) and named at the value's key.
    let normalised = settings.normalised(channels: channels).channelParameters ?? [:]
    let keys = normalised.keys.sorted()
    for channel in channels {
      var merged = settings.parameters
      for (key, values) in normalised {
        if case .byChannel(let byChannel) = values {
          merged[key] = byChannel[channel]
        } else {
          merged[key] = 1
        }
      }
      if case .failure(let error) = Prior.make(settings.dist, parameters: merged) {
        let key = keys.first { error.message.contains("'\($0)'") } ?? keys[0]
        return ("\(key).\(channel)", error.message)
      }
    }
    return nil
  }

  /// This configuration with every `cost_share` parameter replaced by each channel's share of the total
  /// spend.
  ///
  /// - Parameter totalSpend: each channel's spend summed over the training data's dates and geos, in
  ///   `channelColumns` order.
  /// - Throws: `LocatedError` naming the prior's key when there is no spend at all, or a channel has none
  ///   (its share would be 0, not a valid scale).
  public func resolvingCostShare(totalSpend: [Double]) throws -> MMMConfiguration {
    var resolved = self
    let total = totalSpend.reduce(0, +)
    for (name, settings) in priors {
      for (key, values) in settings.channelParameters ?? [:] {
        guard case .costShare = values else { continue }
        let path = "\(name).\(key)"
        guard total > 0, total.isFinite else {
          throw located(path, "cost_share needs spend in the training data; every channel's total is 0")
        }
        var shares: [String: Double] = [:]
        for (channel, spend) in zip(channelColumns, totalSpend) {
          guard spend > 0 else {
            throw located(
              path,
              "cost_share of channel '\(channel)' is 0 (no spend in the training data); give the values per channel"
            )
          }
          shares[channel] = spend / total
        }
        resolved.priors[name]?.channelParameters?[key] = .byChannel(shares)
      }
    }
    return resolved
  }

  private func located(_ key: String, _ message: String) -> LocatedError {
    var error = LocatedError(column: key, message)
    error.fieldKind = "key"
    return error
  }
}

extension MMMConfiguration.PriorSettings {
  /// These settings with a list in channel order turned into values by channel name.
  func normalised(channels: [String]) -> Self {
    var copy = self
    guard let channelParameters else { return copy }
    copy.channelParameters = channelParameters.mapValues { values in
      if case .inChannelOrder(let list) = values, list.count == channels.count {
        return .byChannel(Dictionary(uniqueKeysWithValues: zip(channels, list)))
      }
      return values
    }
    return copy
  }
}
