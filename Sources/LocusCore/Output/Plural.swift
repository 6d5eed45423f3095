/// Counts with their noun in the right number, for every line an operator reads: "1 site", "3 sites".
public enum Plural {
    /// `count` and `noun`, made plural (`plural`, else `noun` + "s") unless `count` is 1.
    public static func count(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    }
}
