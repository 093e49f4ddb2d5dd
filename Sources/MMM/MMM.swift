import CausalMMMCore

// # MMM: Bayesian media-mix models with adstock, saturation, geos and lift-test calibration
//
// ## Pieces
// - Transforms (`Transforms/`): `Adstock` (GeometricAdstock, DelayedAdstock, BinomialAdstock, WeibullPDFAdstock,
//   WeibullCDFAdstock — PyMC-Marketing's tap and `normalize` conventions, the CDF's L+1 taps) and `Saturation`
//   (LogisticSaturation, MichaelisMentenSaturation, HillSaturation, TanhSaturation, RootSaturation). Each type
//   carries its value, gradient in the input and in every parameter, parameter names and default priors.
// - `Prior` (Normal, HalfNormal, LogNormal, Gamma by alpha/beta or `gamma(mean:sd:)`, Beta, Exponential, Laplace,
//   StudentT, TruncatedNormal): log density and its derivative, support transform.
// - Data: `MMMData` (long format: dates, optional geos, named numeric columns; from CSV or built in memory),
//   `LiftTest` rows, `MMMConfiguration` (Codable; `parse(text:name:)` reads YAML/JSON and rejects unknown keys
//   with a did-you-mean). Every input error is an `LocatedError` located at file, line and column.
// - `MMMModel` (conforms to `Inference.LogDensity`): the log posterior with a hand-assembled gradient. Channels are
//   scaled by their max over dates and geos, the target by its max (PyMC-Marketing); parameters named
//   `adstock_alpha[channel]`, `saturation_lam[geo,channel]`, `intercept[geo]`, `y_sigma`, `gamma_control[c]`,
//   `gamma_fourier[sin_1]`, `gamma_trend`. Thread-safe: sampler chains may call it concurrently.
// - `FittedMMM`: model + posterior; `contributions()`, `roas()`, `predict(data:)`, `intervene(counterfactual:)`,
//   `liftChecks()`, `saturationCurves()`, `adstockCurves()`, all in original units with 94% HDIs.
// - `FitArchive`: writes/reloads the `causal-mmm fit` output directory.
//
// ## In-memory use (e.g. from a simulation)
//
//     let data = try MMMData(dates: dates, geos: nil, columns: ["tv": tv, "search": search, "sales": sales])
//     var config = MMMConfiguration(targetColumn: "sales", channelColumns: ["tv", "search"])
//     config.priors["saturation_lam"] = .init(dist: .gamma, parameters: ["alpha": 3, "beta": 1])
//     let lifts = [LiftTest(channel: "tv", x: 100, deltaX: 20, deltaY: 3.1, sigma: 0.5)]
//     let model = try MMMModel(configuration: config, data: data, liftTests: lifts)
//     var sampler = SamplerConfiguration()            // from Inference
//     sampler.targetAccept = 0.9
//     let fit = try FittedMMM.fit(model, sampler: sampler)
//     let window = Set(dates[880...979])
//     let off = try data.modifying(column: "tv") { date, _, x in window.contains(date) ? 0 : x }
//     let effect = try fit.intervene(counterfactual: off)   // effect.total.mean, .hdiLower, .totalDraws, .perDate
//
// ## Modelling notes
// - μ_gt = intercept_g + Σ_c sat(adstock(x̃_gc))_t + Σ γ_k z_gkt + Fourier(day of year / 365.25) + γ_trend τ_t;
//   Normal or StudentT(ν fixed) likelihood on y / max y.
// - Priors with `dims: [geo, channel]` vary by geo; `pooled_over: geo` makes them hierarchical and non-centred on
//   the unconstrained scale: θ_gc = T(u_c + τ_c z_gc), τ_c ~ HalfNormal(pooling_sigma), z ~ N(0, 1). Logistic lam
//   and beta pooled together draw their offsets rotated, (z_lam, z_beta) = s (τ_lam, τ_beta)/r + d (−τ_beta, τ_lam)/r,
//   so that s alone carries the product λβ the data identify and the spreads' ratio moves only d.
//   From a warm-up update on, the sampler moves the pair's spreads as log r and the logit of the angle
//   φ = atan(τ_beta/τ_lam) (`PolarSpreads`): the data inform r, hardly φ.
// - The intercept is sampled centred on the mean channel contribution (unit-Jacobian reparametrisation; the prior
//   applies to the intercept itself) and the tightly identified coordinates are standardised, which removes the
//   intercept/β ridge that otherwise saturates NUTS' tree depth on seed 000's workload.
// - Lift tests: PyMC-Marketing's steady-state reading |s(x+Δx) − s(x)| with a Gamma(mean, sd) (default) or Normal
//   likelihood; rows with `start`/`end` are read adstock-aware against the model's own predicted mean lift over the
//   window (observed spend + Δx on those dates, carry-over included).
