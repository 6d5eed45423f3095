import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of a parsed XML document with every name resolved to its namespace URI, so that
/// descriptors match whatever prefixes they use.
struct XMLNode: Sendable {
    struct Attribute: Sendable {
        /// Empty for an unprefixed attribute (which has no namespace).
        var namespace: String
        var name: String
        var value: String
    }

    var namespace: String
    var name: String
    var attributes: [Attribute]
    var children: [XMLNode]
    var text: String
    /// 1-based line of the start tag.
    var line: Int

    /// The value of the attribute `name` in one of `namespaces`, or unprefixed when `orUnqualified`.
    func attribute(_ name: String, in namespaces: Set<String>, orUnqualified: Bool = true) -> String? {
        if let found = attributes.first(where: { $0.name == name && namespaces.contains($0.namespace) }) {
            return found.value
        }
        guard orUnqualified else { return nil }
        return attributes.first { $0.name == name && $0.namespace.isEmpty }?.value
    }

    func children(_ name: String, in namespaces: Set<String>) -> [XMLNode] {
        children.filter { $0.name == name && namespaces.contains($0.namespace) }
    }

    func child(_ name: String, in namespaces: Set<String>) -> XMLNode? {
        children.first { $0.name == name && namespaces.contains($0.namespace) }
    }

    var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Why a document is not well-formed XML.
struct XMLSyntaxError: Error, Sendable, Hashable {
    /// The innermost element open when the parser stopped; empty before the root.
    var element: String
    var line: Int
    var reason: String
}

/// Builds an `XMLNode` tree with the platform's XML parser (libxml2 on Linux).
enum XMLTree {
    static func parse(_ data: Data) -> Result<XMLNode, XMLSyntaxError> {
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        // Where libxml2 recovers, `parse()` may still return true: the first reported error counts.
        let succeeded = parser.parse()
        if let failure = builder.failure {
            return .failure(
                XMLSyntaxError(element: failure.element, line: failure.line, reason: Self.reason(failure.code))
            )
        }
        guard succeeded, parser.parserError == nil, let root = builder.root else {
            let code = (parser.parserError as NSError?)?.code ?? 0
            return .failure(
                XMLSyntaxError(
                    element: builder.openElementName,
                    line: parser.lineNumber,
                    reason: code == 0 ? "no root element" : Self.reason(code)
                )
            )
        }
        return .success(root)
    }

    /// Words for the libxml2 error numbers Foundation reports.
    private static func reason(_ code: Int) -> String {
        switch code {
        case 4: "the document is empty"
        case 5: "extra content after the root element or the document ends early"
        case 23: "an attribute value is not properly quoted"
        case 26: "an entity is not defined"
        case 38, 39, 41: "an attribute is malformed"
        case 65, 73: "a tag is not properly closed"
        case 76: "an end tag does not match its start tag"
        case 77: "the document ends before every element is closed"
        case 201, 202, 203: "a namespace prefix is not declared"
        default: "not well-formed (XML error \(code))"
        }
    }
}

/// `XMLParser` delegate: resolves attribute prefixes with the scoped prefix mappings the parser
/// reports (element names arrive resolved already).
private final class TreeBuilder: NSObject, XMLParserDelegate {
    private struct Open {
        var node: XMLNode
    }

    var root: XMLNode?
    /// The first error the parser reported, with the element open at that moment.
    var failure: (element: String, line: Int, code: Int)?
    private var stack: [Open] = []
    private var prefixes: [String: [String]] = [:]

    var openElementName: String { stack.last?.node.name ?? "" }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil {
            failure = (openElementName, parser.lineNumber, (parseError as NSError).code)
        }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
        prefixes[prefix, default: []].append(namespaceURI)
    }

    func parser(_ parser: XMLParser, didEndMappingPrefix prefix: String) {
        _ = prefixes[prefix]?.popLast()
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        var resolved: [XMLNode.Attribute] = []
        for (qualified, value) in attributes.sorted(by: { $0.key < $1.key }) {
            if let colon = qualified.firstIndex(of: ":") {
                let prefix = String(qualified[..<colon])
                let name = String(qualified[qualified.index(after: colon)...])
                guard prefix != "xmlns" else { continue }
                let namespace = prefix == "xml" ? "http://www.w3.org/XML/1998/namespace" : prefixes[prefix]?.last ?? ""
                resolved.append(XMLNode.Attribute(namespace: namespace, name: name, value: value))
            } else if qualified != "xmlns" {
                resolved.append(XMLNode.Attribute(namespace: "", name: qualified, value: value))
            }
        }
        let node = XMLNode(
            namespace: namespaceURI ?? "",
            name: elementName,
            attributes: resolved,
            children: [],
            text: "",
            line: parser.lineNumber
        )
        stack.append(Open(node: node))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].node.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        guard !stack.isEmpty, let string = String(data: block, encoding: .utf8) else { return }
        stack[stack.count - 1].node.text += string
    }

    func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?
    ) {
        guard let finished = stack.popLast() else { return }
        if stack.isEmpty {
            root = finished.node
        } else {
            stack[stack.count - 1].node.children.append(finished.node)
        }
    }
}
