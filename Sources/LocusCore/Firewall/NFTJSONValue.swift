/// A JSON value as libnftables writes it: a ruleset is a list of objects whose shape depends on a key,
/// so it is decoded generically first and read by the code that knows each shape.
public indirect enum NFTJSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([NFTJSONValue])
    case object([String: NFTJSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let elements = try? container.decode([NFTJSONValue].self) {
            self = .array(elements)
        } else {
            self = .object(try container.decode([String: NFTJSONValue].self))
        }
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integer: Int? {
        if case .number(let number) = self, number.rounded() == number, abs(number) < 1e15 { return Int(number) }
        return nil
    }

    public var array: [NFTJSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var object: [String: NFTJSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The only key of a one-key object and its value: how libnftables tags every statement and expression.
    public var tagged: (key: String, value: NFTJSONValue)? {
        guard case .object(let members) = self, members.count == 1, let (key, value) = members.first else {
            return nil
        }
        return (key, value)
    }

    public subscript(key: String) -> NFTJSONValue? {
        object?[key]
    }
}
