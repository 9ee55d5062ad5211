/// Where the axes of a sequence tensor are in the graph. The model's input and output are
/// batch-major like ours; ONNX's RNN operators read and write time-major tensors, Conv reads
/// and writes channels-first ones, and values stay in the last layout until a layer needs
/// another, so stacked recurrent layers pass time-major tensors without transposes.
enum TensorLayout: Equatable {
    /// `[B, F]` (or any rank without a time axis).
    case flat
    /// `[B, T, F]`: ours.
    case batchMajor
    /// `[T, B, F]`: ONNX RNN/LSTM/GRU with `layout = 0`.
    case timeMajor
    /// `[B, F, T]`: ONNX Conv.
    case channelsFirst

    /// The permutation that takes a tensor from `self` to `target` (nil when none is needed).
    func permutation(to target: TensorLayout) -> [Int64]? {
        switch (self, target) {
        case (.batchMajor, .timeMajor), (.timeMajor, .batchMajor): return [1, 0, 2]
        case (.channelsFirst, .timeMajor): return [2, 0, 1]
        case (.channelsFirst, .batchMajor), (.batchMajor, .channelsFirst): return [0, 2, 1]
        case (.timeMajor, .channelsFirst): return [1, 2, 0]
        default: return nil
        }
    }
}

/// A value of the graph with the layout its axes are in.
struct LaidOutValue {
    var name: String
    var layout: TensorLayout
}

extension GraphBuilder {
    /// `value` in `layout` (a Transpose when it is elsewhere).
    mutating func arrange(_ value: LaidOutValue, as layout: TensorLayout) -> LaidOutValue {
        guard value.layout != .flat, let perm = value.layout.permutation(to: layout) else { return value }
        return LaidOutValue(name: transpose(value.name, perm, base: "transpose_to_\(layout)"), layout: layout)
    }
}
