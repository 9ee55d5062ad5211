// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Recurrent",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Recurrent", targets: ["Recurrent"]),
        .library(name: "Forecast", targets: ["Forecast"]),
        .executable(name: "rnn", targets: ["rnn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // C kernels: matrix products and fused gate math; reference, portable, AVX2, AVX-512
        // and NEON paths chosen at run time. Plain settings only (no unsafe flags): each SIMD
        // function carries its own target attribute, so the package works as a dependency.
        .target(name: "CKernels"),
        // The engine: tensors, layers, models, training, model files.
        .target(name: "Recurrent", dependencies: ["CKernels"]),
        // The workflow on real series: readers, preparation, forecasting, study, reports.
        .target(
            name: "Forecast",
            dependencies: [
                "Recurrent",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "rnn",
            dependencies: [
                "Recurrent", "Forecast",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "RecurrentTests", dependencies: ["Recurrent", "CKernels"]),
        .testTarget(name: "ForecastTests", dependencies: ["Forecast", "Recurrent"]),
        .testTarget(name: "RNNCLITests", dependencies: ["rnn", "Recurrent", "Forecast"]),
    ],
    swiftLanguageModes: [.v5]
)
