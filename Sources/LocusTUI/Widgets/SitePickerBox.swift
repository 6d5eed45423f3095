/// `m`'s modal list of destination sites: the workload and where it is in the title, one site per
/// row, the selected one marked, and the keys that choose.
struct SitePickerBox: Widget {
    var picker: SitePicker

    private var title: String { "Move \(picker.workload) from \(picker.fromSite) to" }
    private let keysHint = "↑↓ choose · Enter next · Esc cancel"

    func draw(in area: Rect, frame: inout Frame) {
        let textWidth = min(max(title.terminalWidth, keysHint.terminalWidth, 24), 60)
        let width = min(area.width, textWidth + 4)
        let visible = max(1, min(picker.sites.count, area.height - 4))
        let box = area.centered(Size(width: width, height: visible + 4))
        guard !box.isEmpty else { return }
        let style = Style(.dialog)
        frame.fill(box, style: style)
        if box.width >= 6, box.height >= 3 {
            frame.draw(box: box, style: style, title: title)
        }
        let inside = box.insetBy(dx: 2, dy: 1)
        let first = max(0, min(picker.selection - visible + 1, picker.sites.count - visible))
        for row in 0..<min(visible, inside.height) {
            let index = first + row
            guard index < picker.sites.count else { break }
            let isSelected = index == picker.selection
            let marker = isSelected ? frame.lineDrawing.selectionMarker + " " : "  "
            frame.put(
                marker + picker.sites[index],
                in: inside.row(row),
                style: isSelected ? Style(.selected, .bold) : style
            )
        }
        if inside.height > visible + 1 {
            frame.put(keysHint, in: inside.row(visible + 1), style: Style(.dialog, .bold))
        }
    }
}
