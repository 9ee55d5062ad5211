// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Recurrent",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Recurrent", targets: ["Recurrent"]),
        .library(name: "Forecast", targets: ["Forecast"]),
        .library(name: "ONNXExport", targets: ["ONNXExport"]),
        .executable(name: "rnn", targets: ["rnn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C kernels: matrix products and fused gate math; reference, portable, AVX2, AVX-512
        // and NEON paths chosen at run time. Plain settings only (no unsafe flags): each SIMD
        // function carries its own target attribute, so the package works as a dependency.
        .target(name: "CKernels"),
        // The engine: tensors, layers, models, training, model files.
        .target(name: "Recurrent", dependencies: ["CKernels", .product(name: "RealModule", package: "swift-numerics")]),
        // The benchmark harness behind `rnn bench`: configurations, timing, machine facts, sweeps.
        .target(name: "RecurrentBench", dependencies: ["Recurrent", "CKernels", .product(name: "RealModule", package: "swift-numerics")]),
        // SVG charts, tables and the HTML page that holds them; knows nothing of models or series.
        .target(name: "Charts", dependencies: ["Recurrent"]),
        // The workflow on real series: readers, preparation, forecasting, baselines, study, reports.
        .target(
            name: "Forecast",
            dependencies: ["Recurrent", "Charts", .product(name: "RealModule", package: "swift-numerics"), .product(name: "Yams", package: "Yams")]
        ),
        // The lab's demonstrations: the four structures and the vanishing-gradient study.
        .target(name: "LabDemos", dependencies: ["Recurrent", "Forecast", "Charts"]),
        // ONNX export: a protobuf writer for the ONNX subset, layers and forecasting preparation as graph ops.
        .target(name: "ONNXExport", dependencies: ["Recurrent", "Forecast"]),
        .executableTarget(
            name: "rnn",
            dependencies: [
                "Recurrent", "RecurrentBench", "Charts", "Forecast", "LabDemos", "ONNXExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzzing: one executable for every parser harness; it replays inputs from files in
        // any build and fuzzes when built with -sanitize=fuzzer (Fuzz/run.sh).
        .target(name: "CFuzzShim"),
        .executableTarget(name: "rnn-fuzz", dependencies: ["CFuzzShim", "Recurrent", "Forecast"]),
        .testTarget(name: "RecurrentTests", dependencies: ["Recurrent", "CKernels"]),
        .testTarget(name: "RecurrentBenchTests", dependencies: ["RecurrentBench", "Recurrent", "CKernels"]),
        // ZIPFoundation writes the test workbooks: an independent DEFLATE encoder for our reader.
        .testTarget(
            name: "ForecastTests",
            dependencies: ["Forecast", "Charts", "Recurrent", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "LabDemosTests", dependencies: ["LabDemos", "Forecast", "Charts", "Recurrent"]),
        .testTarget(name: "RNNCLITests", dependencies: ["rnn", "Recurrent", "Forecast"]),
        .testTarget(name: "ONNXExportTests", dependencies: ["ONNXExport", "Recurrent", "Forecast"]),
    ],
    swiftLanguageModes: [.v6]
)
