// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "CausalMMM",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "CausalMMMCore", targets: ["CausalMMMCore"]),
    .library(name: "CausalGraph", targets: ["CausalGraph"]),
    .library(name: "GraphvizIO", targets: ["GraphvizIO"]),
    .library(name: "Inference", targets: ["Inference"]),
    .library(name: "MMM", targets: ["MMM"]),
    .library(name: "Simulation", targets: ["Simulation"]),
    .library(name: "Reports", targets: ["Reports"]),
    .library(name: "CausalValidation", targets: ["CausalValidation"]),
    .executable(name: "causal-mmm", targets: ["causal-mmm"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CGraphviz",
      pkgConfig: "libcgraph libgvc",
      providers: [.apt(["libgraphviz-dev"])]
    ),
    .target(
      name: "CausalMMMCore",
      dependencies: [.product(name: "RealModule", package: "swift-numerics")]
    ),
    .target(name: "CausalGraph"),
    .target(name: "GraphvizIO", dependencies: ["CausalMMMCore", "CausalGraph", "CGraphviz"]),
    .target(
      name: "Inference",
      dependencies: ["CausalMMMCore", .product(name: "RealModule", package: "swift-numerics")]
    ),
    .target(
      name: "MMM",
      dependencies: [
        "CausalMMMCore", "CausalGraph", "Inference",
        .product(name: "RealModule", package: "swift-numerics"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(name: "Simulation", dependencies: ["CausalMMMCore", "CausalGraph", "MMM", "Inference"]),
    .target(
      name: "CausalValidation",
      dependencies: [
        "CausalMMMCore", "CausalGraph", "Inference", "MMM",
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .target(
      name: "Reports",
      dependencies: [
        "CausalMMMCore", "CausalGraph", "GraphvizIO", "Inference", "MMM", "Simulation", "CausalValidation",
      ]
    ),
    .executableTarget(
      name: "causal-mmm",
      dependencies: [
        "CausalMMMCore", "CausalGraph", "GraphvizIO", "Inference", "MMM", "Simulation", "Reports",
        "CausalValidation",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "graph-benchmark",
      dependencies: ["CausalMMMCore", "CausalGraph", "GraphvizIO"],
      path: "Sources/Benchmarks/GraphBenchmark"
    ),
    .executableTarget(
      name: "dag-test-calibration",
      dependencies: ["CausalMMMCore", "CausalGraph", "CausalValidation", "Inference"],
      path: "Sources/Benchmarks/DAGTestCalibration"
    ),
    .executableTarget(
      name: "inference-benchmark",
      dependencies: ["CausalMMMCore", "Inference"],
      path: "Sources/Benchmarks/InferenceBenchmark"
    ),
    .executableTarget(
      name: "mmm-benchmark",
      dependencies: ["CausalMMMCore", "Inference", "MMM"],
      path: "Sources/Benchmarks/MMMBenchmark"
    ),
    .testTarget(name: "CausalGraphTests", dependencies: ["CausalGraph", "CausalMMMCore"]),
    .testTarget(name: "CausalMMMCoreTests", dependencies: ["CausalMMMCore"]),
    .testTarget(name: "GraphvizIOTests", dependencies: ["CausalMMMCore", "GraphvizIO", "CausalGraph"]),
    .testTarget(name: "InferenceTests", dependencies: ["CausalMMMCore", "Inference"]),
    .testTarget(name: "MMMTests", dependencies: ["CausalMMMCore", "MMM", "Inference", "CausalGraph"]),
    .testTarget(name: "SimulationTests", dependencies: ["CausalMMMCore", "Simulation", "MMM", "CausalGraph"]),
    .testTarget(
      name: "ReportsTests",
      dependencies: ["Reports", "CausalMMMCore", "CausalGraph", "Inference", "MMM", "Simulation"]),
    .testTarget(
      name: "CausalValidationTests", dependencies: ["CausalMMMCore", "CausalValidation", "CausalGraph", "Inference", "MMM"]),
    .testTarget(
      name: "CLITests",
      dependencies: ["causal-mmm"],
      resources: [.copy("Fixtures")]
    ),
  ]
)
