extension StyledLine {
    /// Long lines continue on the next rows, under their text (after a sign or an indent), so
    /// nothing the operator acts on is cut off.
    func wrapped(toColumns width: Int) -> [StyledLine] {
        guard width > 12, terminalWidth > width, var last = spans.last else { return [self] }
        var head = Array(spans.dropLast())
        let indent = String(last.text.prefix { $0 == " " })
        head.append(Span(indent, style: last.style))
        last.text = String(last.text.dropFirst(indent.count))
        let hanging = head.reduce(0) { $0 + $1.text.terminalWidth }
        guard width - hanging > 8 else { return [self] }
        let continuation = String(repeating: " ", count: hanging + (hanging == indent.count ? 2 : 0))
        // One width for every row, so that a word split across rows is not joined again with a space.
        let rows = TextLayout.wrapped(last.text, toColumns: width - continuation.count)
        guard let first = rows.first else { return [self] }
        return [StyledLine(head + [Span(first, style: last.style)])]
            + rows.dropFirst().map { StyledLine(continuation + $0, style: last.style) }
    }
}
