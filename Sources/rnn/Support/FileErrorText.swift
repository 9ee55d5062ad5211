import Foundation

/// One line for Foundation's file errors, which otherwise print as a dump
/// (`Error Domain=NSCocoaErrorDomain Code=516 … UserInfo={…}`): the path and the system's reason.
enum FileErrorText {
    static func describe(_ error: Error) -> String? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        var reason: String
        if let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }), underlying.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(underlying.code)))
        } else {
            reason = ns.localizedDescription
        }
        if reason.isEmpty || reason == "(null)" { reason = "error \(ns.code)" }
        if ns.code == CocoaError.fileWriteFileExists.rawValue { reason = "a file is in the way where a folder is needed" }
        return path.map { "\($0): cannot create or write: \(reason)" } ?? "cannot create or write a file: \(reason)"
    }
}
