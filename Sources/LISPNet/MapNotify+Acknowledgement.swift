import LISP
import NIOCore

extension MapNotify {
    /// The Map-Notify-Ack a subscriber sends for a publication: same nonce, records and xTR-ID, signed with
    /// `key` (the key the publication verified with, under its Key ID and algorithm) or unsigned without one.
    func acknowledgement(signedWith key: [UInt8]?) -> ByteBuffer? {
        var buffer = ByteBuffer()
        guard let key else {
            let ack = MapNotify(nonce: nonce, keyID: 0, algorithm: .none, records: records, xtrIdentity: xtrIdentity)
            return (try? buffer.writeMapNotifyAck(ack)) != nil ? buffer : nil
        }
        let ack = MapNotify(
            nonce: nonce,
            keyID: keyID,
            algorithm: algorithm,
            records: records,
            xtrIdentity: xtrIdentity
        )
        return (try? buffer.writeMapNotifyAck(ack, signedWith: key)) != nil ? buffer : nil
    }
}
