/// Why a lab firewall refused a batch, or why no firewall could be asked; the description is what
/// `locus lab nft apply` prints on stderr, so a cutover's journal says which line was wrong.
public enum LabFirewallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line of the batch could not be taken; nothing of the batch was applied, as with nft.
    case refused(firewall: String, line: Int, text: String, reason: String)
    case unknownSite(String, known: [String])

    public var description: String {
        switch self {
        case .refused(let firewall, let line, let text, let reason):
            return "\(firewall) refused the batch, nothing applied: line \(line): \(text): \(reason)"
        case .unknownSite(let name, let known):
            return "no firewall for a site named \(name) in the lab (its sites: \(known.joined(separator: ", ")))"
        }
    }
}
