import LISP
import NIOCore

extension MapNotify {
    /// The Map-Notify-Ack a subscriber sends for a publication: same nonce, records and xTR-ID, no
    /// authentication (publications come without it too).
    func unsignedAcknowledgement() -> ByteBuffer? {
        let ack = MapNotify(
            nonce: nonce,
            keyID: 0,
            algorithm: .none,
            records: records,
            xtrIdentity: xtrIdentity
        )
        var buffer = ByteBuffer()
        return (try? buffer.writeMapNotifyAck(ack)) != nil ? buffer : nil
    }
}
