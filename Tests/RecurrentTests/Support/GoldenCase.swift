import Foundation
@testable import Recurrent

/// One PyTorch reference case from `../shared/golden/*.json` (float64, batch-first).
struct GoldenCase {
    let json: [String: Any]

    init(_ name: String) throws {
        let url = try SharedData.require("golden/\(name).json")
        json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    var config: [String: Any] { json["config"] as! [String: Any] }
    func int(_ key: String) -> Int { (config[key] as! NSNumber).intValue }

    /// A `{"shape", "data"}` entry at a key path such as `["grad", "x"]`.
    func tensor(_ path: String...) -> Tensor {
        var node: Any = json
        for key in path { node = (node as! [String: Any])[key]! }
        let entry = node as! [String: Any]
        let shape = (entry["shape"] as! [NSNumber]).map(\.intValue)
        var flat: [Float] = []
        func walk(_ v: Any) {
            if let list = v as? [Any] { list.forEach(walk) } else { flat.append((v as! NSNumber).floatValue) }
        }
        walk(entry["data"]!)
        return Tensor(shape: shape, scalars: flat)
    }

    func has(_ path: String...) -> Bool {
        var node: Any? = json
        for key in path { node = (node as? [String: Any])?[key] }
        return node != nil
    }

    /// Row `index` of a `[L·D, B, H]` state tensor, as `[B, H]`.
    func state(_ key: String, index: Int) -> Tensor {
        let s = tensor(key)
        return s.slice(index..<(index + 1)).reshaped(Array(s.shape.dropFirst()))
    }
}
