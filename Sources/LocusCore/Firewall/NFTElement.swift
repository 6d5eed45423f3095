/// One element of an nftables set, or one value an address match compares with.
public enum NFTElement: Sendable, Hashable, CustomStringConvertible {
    case address(IPAddress)
    case prefix(IPPrefix)
    /// An interval `low-high`, both ends included.
    case range(IPAddress, IPAddress)
    /// Anything else (a port, an interface name, a concatenation), kept as nft would print it.
    case other(String)

    public func contains(_ address: IPAddress) -> Bool {
        switch self {
        case .address(let element): element == address
        case .prefix(let prefix): prefix.contains(address)
        case .range(let low, let high): low.family == address.family && low <= address && address <= high
        case .other: false
        }
    }

    /// Whether this element is exactly `address`: only then may deleting it remove that address alone.
    public func isExactly(_ address: IPAddress) -> Bool {
        if case .address(let element) = self { return element == address }
        return false
    }

    /// In nft syntax: `10.1.0.7`, `10.3.0.0/24`, `10.4.0.1-10.4.0.9`.
    public var description: String {
        switch self {
        case .address(let address): address.description
        case .prefix(let prefix): prefix.description
        case .range(let low, let high): "\(low)-\(high)"
        case .other(let text): text
        }
    }

    /// Reads an element as `nft -j` writes it: a string, `{"prefix": …}`, `{"range": […]}`, or any of
    /// them wrapped in `{"elem": {"val": …}}` when the set keeps timeouts or counters.
    init(json value: NFTJSONValue) {
        switch value {
        case .string(let text):
            if let address = IPAddress(text) {
                self = .address(address)
            } else {
                self = .other(text)
            }
        case .number(let number):
            self = .other(value.integer.map(String.init) ?? "\(number)")
        default:
            if let (key, body) = value.tagged {
                switch key {
                case "elem":
                    if let inner = body["val"] {
                        self = NFTElement(json: inner)
                        return
                    }
                case "prefix":
                    if let text = body["addr"]?.string, let address = IPAddress(text),
                        let length = body["len"]?.integer,
                        let prefix = try? IPPrefix(address: address, length: length)
                    {
                        self = .prefix(prefix)
                        return
                    }
                case "range":
                    if let ends = body.array, ends.count == 2, let low = ends[0].string.flatMap(IPAddress.init),
                        let high = ends[1].string.flatMap(IPAddress.init)
                    {
                        self = .range(low, high)
                        return
                    }
                default:
                    break
                }
                self = .other(key)
            } else {
                self = .other("\(value)")
            }
        }
    }
}
