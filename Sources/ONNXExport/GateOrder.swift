/// Maps the gate blocks of our weights (PyTorch's order) to ONNX's.
///
/// LSTM: ours i, f, g, o; ONNX i, o, f, c (c is our g). GRU: ours r, z, n; ONNX z, r, h.
/// A weight `[G·H, K]` is G blocks of H rows; a bias `[G·H]` is G blocks of H values.
enum GateOrder {
    /// For each ONNX block in order, the index of our block that fills it.
    static func onnxBlocks(forCellType type: String) -> [Int] {
        switch type {
        case "LSTM": return [0, 3, 1, 2]
        case "GRU": return [1, 0, 2]
        default: return [0]
        }
    }

    /// Reorders the row blocks of a row-major `[blocks.count · rowsPerBlock, columns]` array.
    static func reorder(_ values: [Float], blocks: [Int], rowsPerBlock: Int, columns: Int) -> [Float] {
        let blockSize = rowsPerBlock * columns
        precondition(values.count == blocks.count * blockSize, "gate reorder: \(values.count) values for \(blocks.count) blocks of \(blockSize)")
        var out: [Float] = []
        out.reserveCapacity(values.count)
        for b in blocks { out += values[(b * blockSize)..<((b + 1) * blockSize)] }
        return out
    }
}
