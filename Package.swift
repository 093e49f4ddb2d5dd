// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "CausalMMM",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "CausalGraph", targets: ["CausalGraph"]),
    .library(name: "GraphvizIO", targets: ["GraphvizIO"]),
    .library(name: "Inference", targets: ["Inference"]),
    .library(name: "MMM", targets: ["MMM"]),
    .library(name: "Simulation", targets: ["Simulation"]),
    .library(name: "Reports", targets: ["Reports"]),
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
    .target(name: "CausalGraph"),
    .target(name: "GraphvizIO", dependencies: ["CausalGraph", "CGraphviz"]),
    .target(
      name: "Inference",
      dependencies: [.product(name: "RealModule", package: "swift-numerics")]
    ),
    .target(
      name: "MMM",
      dependencies: [
        "CausalGraph", "Inference",
        .product(name: "RealModule", package: "swift-numerics"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(name: "Simulation", dependencies: ["CausalGraph", "MMM", "Inference"]),
    .target(
      name: "Reports",
      dependencies: ["CausalGraph", "GraphvizIO", "Inference", "MMM", "Simulation"]
    ),
    .executableTarget(
      name: "causal-mmm",
      dependencies: [
        "CausalGraph", "GraphvizIO", "Inference", "MMM", "Simulation", "Reports",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "graph-benchmark",
      dependencies: ["CausalGraph", "GraphvizIO"],
      path: "Sources/Benchmarks/GraphBenchmark"
    ),
    .executableTarget(
      name: "inference-benchmark",
      dependencies: ["Inference"],
      path: "Sources/Benchmarks/InferenceBenchmark"
    ),
    .executableTarget(
      name: "mmm-benchmark",
      dependencies: ["Inference", "MMM"],
      path: "Sources/Benchmarks/MMMBenchmark"
    ),
    .testTarget(name: "CausalGraphTests", dependencies: ["CausalGraph"]),
    .testTarget(name: "GraphvizIOTests", dependencies: ["GraphvizIO", "CausalGraph"]),
    .testTarget(name: "InferenceTests", dependencies: ["Inference"]),
    .testTarget(name: "MMMTests", dependencies: ["MMM", "Inference", "CausalGraph"]),
    .testTarget(name: "SimulationTests", dependencies: ["Simulation", "MMM", "CausalGraph"]),
    .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
    .testTarget(
      name: "CLITests",
      dependencies: ["causal-mmm"],
      resources: [.copy("Fixtures")]
    ),
  ]
)
