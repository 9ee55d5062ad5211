import Foundation

/// Output folders made by this process, so that a command failing after it made one (bad
/// data found after reading, a model that does not fit the data, …) leaves no empty folder.
enum OutputFolder {
    nonisolated(unsafe) private static var made: [URL] = []

    /// Creates `path` (and its parents) and remembers it when it did not exist.
    static func make(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if !existed { made.append(url) }
        return url
    }

    /// Removes the folders this process made that are still empty, innermost first.
    static func removeEmpty() {
        let fm = FileManager.default
        for url in made.reversed() {
            if let contents = try? fm.contentsOfDirectory(atPath: url.path), contents.isEmpty {
                try? fm.removeItem(at: url)
            }
        }
        made.removeAll()
    }
}
