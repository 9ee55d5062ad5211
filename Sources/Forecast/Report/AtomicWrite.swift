import Foundation

/// Errors thrown by ``writeAtomically(_:to:)``.
public enum AtomicWriteError: Error, CustomStringConvertible {
    /// The string could not be encoded as UTF-8 (cannot happen for valid Swift strings).
    case encodingFailed
    /// Writing the temporary file or renaming it over the destination failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .encodingFailed: return "could not encode text as UTF-8"
        case let .writeFailed(path, reason): return "could not write \(path): \(reason)"
        }
    }
}

/// Writes `data` to `url` atomically: the bytes go to a uniquely named temporary file in the
/// same directory, which is then renamed over the destination. A reader therefore sees either
/// the old file or the complete new one, never a partial write. The temporary file is removed
/// when anything fails. The destination directory must exist.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let destination = url.standardizedFileURL
    let directory = destination.deletingLastPathComponent()
    let tempName = ".\(destination.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    let temp = directory.appendingPathComponent(tempName)
    let fm = FileManager.default
    do {
        guard fm.createFile(atPath: temp.path, contents: data) else {
            throw AtomicWriteError.writeFailed(path: temp.path, reason: "cannot create temporary file")
        }
        // rename(2) replaces an existing destination atomically on POSIX file systems.
        if rename(temp.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            throw AtomicWriteError.writeFailed(path: destination.path, reason: reason)
        }
    } catch {
        try? fm.removeItem(at: temp)
        throw error
    }
}

/// Writes `string` as UTF-8 to `url` atomically. See ``writeAtomically(_:to:)-data``.
public func writeAtomically(_ string: String, to url: URL) throws {
    guard let data = string.data(using: .utf8) else { throw AtomicWriteError.encodingFailed }
    try writeAtomically(data, to: url)
}
