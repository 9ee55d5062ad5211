/// `1 feature`, `3 features`: a count with its noun in the right number (English, regular
/// plural unless `plural` is given).
public func counted(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}
