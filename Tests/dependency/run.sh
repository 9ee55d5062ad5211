#!/usr/bin/env bash
# Proves the package works as a versioned dependency: SwiftPM refuses unsafe build flags in
# a package reached through `.package(url:from:)`, so this builds a throwaway package that
# depends on a tagged local clone of this repository's HEAD and runs a small program using
# the Recurrent library (a tiny LSTM trained for a few steps and a product of the kernels).
# Needs git and the Swift toolchain; no network (the library product has no dependencies).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version=99.0.0

echo "dependency: cloning HEAD $(git -C "$root" rev-parse --short HEAD) and tagging $version"
git clone -q --no-hardlinks "$root" "$work/Recurrent"
git -C "$work/Recurrent" checkout -q "$(git -C "$root" rev-parse HEAD)"
git -C "$work/Recurrent" -c user.name=ci -c user.email=ci@localhost tag -a "$version" -m "dependency check"

mkdir -p "$work/App/Sources/App"
cat > "$work/App/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "App",
    platforms: [.macOS(.v13)],
    dependencies: [.package(url: "file://$work/Recurrent", from: "$version")],
    targets: [
        .executableTarget(name: "App", dependencies: [.product(name: "Recurrent", package: "Recurrent")]),
    ],
    swiftLanguageModes: [.v5]
)
SWIFT
cat > "$work/App/Sources/App/main.swift" <<'SWIFT'
import Foundation
import Recurrent

// y = mean of the window: a tiny LSTM must bring the loss down within a few epochs.
var gen = SeededGenerator(seed: 1)
let n = 64, t = 8
var x = Tensor(shape: [n, t, 1]), y = Tensor(shape: [n, 1])
for i in 0..<n {
    var sum: Float = 0
    for s in 0..<t { let v = gen.nextUniform(-1, 1); x[i, s, 0] = v; sum += v }
    y[i, 0] = sum / Float(t)
}
var model = Sequential(layers: [LSTM(8), Dense(1)])
try model.build(inputShape: [t, 1], seed: 0)
var adam = Adam(learningRate: 1e-2)
let history = try model.fit(x, y, loss: .meanSquaredError, optimizer: &adam,
                            options: FitOptions(epochs: 30, batchSize: 16, shuffle: true, seed: 0, progress: .none))
let first = history["loss"].first!, last = history["loss"].last!
print("kernels: \(Kernels.isa.rawValue); loss \(first) -> \(last)")
guard last < first / 2 else { print("FAIL: the loss did not halve"); exit(1) }

// [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
var c = [Float](repeating: 0, count: 4)
let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
c.withUnsafeMutableBufferPointer { cp in
    Kernels.gemm(m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: cp.baseAddress!, ldc: 2)
}
guard c == [19, 22, 43, 50] else { print("FAIL: gemm gave \(c)"); exit(1) }
print("ok: Recurrent works as a versioned dependency")
SWIFT

echo "dependency: building a package that depends on it with .package(url: \"file://…\", from: \"$version\")"
cd "$work/App"
swift build 2>&1 | tail -n 5
"$(swift build --show-bin-path)/App"
