import CFuzzShim
import Foundation

// rnn-fuzz: one executable for every parser harness.
//
//   rnn-fuzz --list                      the harnesses
//   rnn-fuzz --has-libfuzzer             exit 0 when built with libFuzzer
//   rnn-fuzz --seeds DIR                 writes DIR/<harness>/seed-N for each harness
//   rnn-fuzz HARNESS FILE|DIR…           replays inputs (any build): exit 0 when none crashes
//   rnn-fuzz HARNESS [libFuzzer flags] CORPUS…
//                                        fuzzes, when built with -sanitize=fuzzer (Fuzz/run.sh)

nonisolated(unsafe) var selected: Harness?


func usage() -> Never {
    FileHandle.standardError.write(Data("usage: rnn-fuzz --list | --seeds DIR | HARNESS [FILES|DIRS|libFuzzer flags]\n".utf8))
    exit(2)
}

@main
enum RNNFuzz {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else { usage() }
        switch arguments[1] {
        case "--has-libfuzzer":
            exit(rk_fuzz_available() != 0 ? 0 : 1)
        case "--list":
            for h in Harness.all { print("\(h.name)\t\(h.what)") }
            exit(0)
        case "--seeds":
            guard arguments.count == 3 else { usage() }
            let root = URL(fileURLWithPath: arguments[2])
            for h in Harness.all {
                let dir = root.appendingPathComponent(h.name)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                for (i, seed) in h.seeds().enumerated() {
                    try Data(seed).write(to: dir.appendingPathComponent("seed-\(i)"))
                }
                for (i, input) in h.regressions().enumerated() {
                    try Data(input).write(to: dir.appendingPathComponent("regression-\(i)"))
                }
            }
            exit(0)
        default:
            break
        }
        guard let harness = Harness.all.first(where: { $0.name == arguments[1] }) else {
            FileHandle.standardError.write(Data("rnn-fuzz: unknown harness '\(arguments[1])' (known: \(Harness.all.map(\.name).joined(separator: ", ")))\n".utf8))
            exit(2)
        }
        selected = harness

        if rk_fuzz_available() != 0 {
            // libFuzzer's own argv: program name, then everything after the harness name.
            var cArgs: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) }
            cArgs.append(nil)
            let status = cArgs.withUnsafeMutableBufferPointer { buffer in
                rk_fuzz_run(Int32(buffer.count - 1), buffer.baseAddress!) { data, size in
                    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
                    _ = try? selected!.run(bytes)
                    return 0
                }
            }
            exit(status)
        }

        // Replay: every file named, or every file in every folder named.
        var files: [URL] = []
        for path in arguments.dropFirst(2) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("rnn-fuzz: no such file or folder: \(path)\n".utf8))
                exit(2)
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            } else {
                files.append(URL(fileURLWithPath: path))
            }
        }
        var rejected = 0
        for file in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            do { try harness.run(Array(data)) } catch { rejected += 1 }
        }
        print("\(harness.name): replayed \(files.count) inputs (\(rejected) rejected with an error, none crashed)")
    }
}
