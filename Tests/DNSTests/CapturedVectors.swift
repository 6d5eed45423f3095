// Messages captured once from real traffic, kept as hex with one comment per field.
//
// How they were made: BIND 9.18 (`scripts/start-bind DIR 15354 locus-key SECRET`, SECRET being
// base64("locus-lab-tsig-key-32-bytes-long")) answered dnspython 2.3 requests sent over a connected UDP
// socket; the request bytes are `message.to_wire()`, the answers the raw datagrams BIND sent back.

/// The shared secret of the captured TSIG exchanges: the ASCII bytes of "locus-lab-tsig-key-32-bytes-long".
let capturedSecret = Array("locus-lab-tsig-key-32-bytes-long".utf8)

enum CapturedVectors {
    /// `dns.message.make_query("www.lab.test.", "A", use_edns=0, payload=1232)`, id 0x1234, flags 0.
    static let query = hex(
        """
        1234 0000 0001 0000 0000 0001                 # ID, flags (no RD), QD=1 AN=0 NS=0 AR=1
        03777777 036c6162 0474657374 00 0001 0001     # www.lab.test. A IN
        00 0029 04d0 00000000 0000                    # OPT: root, type 41, payload 1232, TTL 0, RDLEN 0
        """
    )

    /// BIND's answer to `query`: names compressed.
    static let response = hex(
        """
        1234 8400 0001 0001 0001 0002                 # QR AA, NOERROR; QD=1 AN=1 NS=1 AR=2
        03777777 036c6162 0474657374 00 0001 0001     # question www.lab.test. A IN
        c00c 0001 0001 0000012c 0004 c000020a         # www.lab.test. (ptr 12) 300 A 192.0.2.10
        c010 0002 0001 0000012c 0005 026e73 c010      # lab.test. (ptr 16) 300 NS ns + ptr 16
        c03a 0001 0001 0000012c 0004 7f000001         # ns.lab.test. (ptr 58) 300 A 127.0.0.1
        00 0029 04d0 00000000 0000                    # OPT payload 1232
        """
    )

    /// BIND's NXDOMAIN for `nothere.lab.test. A` (id 0x1235): SOA in authority, RNAME compressed.
    static let nameError = hex(
        """
        1235 8403 0001 0000 0001 0001                 # QR AA, NXDOMAIN; QD=1 NS=1 AR=1
        07 6e6f7468657265 036c6162 0474657374 00      # nothere.lab.test.
        0001 0001                                     # A IN
        c014 0006 0001 0000003c 0026                  # lab.test. (ptr 20) SOA IN TTL 60, RDLEN 38
        026e73 c014                                   # MNAME ns.lab.test.
        0a 686f73746d6173746572 c014                  # RNAME hostmaster.lab.test.
        00000001 00000e10 00000258 00015180 0000003c  # serial 1, refresh 3600, retry 600, expire 86400, min 60
        00 0029 04d0 00000000 0000                    # OPT payload 1232
        """
    )

    /// `dns.update.UpdateMessage("lab.test.", id=0x4321)` with present(www A), absent(new AAAA),
    /// replace(www 300 A 192.0.2.20), delete(old), add(new 600 AAAA 2001:db8::20), delete(www TXT "x").
    static let update = hex(
        """
        4321 2800 0001 0002 0005 0000                 # opcode UPDATE; ZO=1 PR=2 UP=5 AD=0
        036c6162 0474657374 00 0006 0001              # zone lab.test. SOA IN
        03777777 c00c 0001 00ff 00000000 0000         # prereq: www.lab.test. A ANY -> RRset exists
        036e6577 c00c 001c 00fe 00000000 0000         # prereq: new.lab.test. AAAA NONE -> RRset absent
        c01a 0001 00ff 00000000 0000                  # update: www (ptr 26) A ANY -> delete RRset
        c01a 0001 0001 0000012c 0004 c0000214         # update: add www 300 A 192.0.2.20
        036f6c64 c00c 00ff 00ff 00000000 0000         # update: old.lab.test. ANY ANY -> delete name
        c02a 001c 0001 00000258 0010                  # update: add new (ptr 42) 600 AAAA
        20010db8 00000000 00000000 00000020           #   2001:db8::20
        c01a 0010 00fe 00000000 0002 0178             # update: www TXT NONE "x" -> delete this RR
        """
    )

    /// A signed UPDATE (hmac-sha256, key locus-key.) replacing www A with 192.0.2.30, which BIND accepted.
    static let signedUpdate = hex(
        """
        5678 2800 0001 0000 0002 0001                 # opcode UPDATE; ZO=1 UP=2 AD=1 (the TSIG)
        036c6162 0474657374 00 0006 0001              # zone lab.test. SOA IN
        03777777 c00c 0001 00ff 00000000 0000         # delete RRset www A
        c01a 0001 0001 0000012c 0004 c000021e         # add www 300 A 192.0.2.30
        09 6c6f6375732d6b6579 00                      # TSIG owner locus-key. (never compressed)
        00fa 00ff 00000000 003d                       # TSIG ANY TTL 0, RDLEN 61
        0b 686d61632d736861323536 00                  # algorithm hmac-sha256.
        00006b06a766 012c                             # time signed 1795598182, fudge 300
        0020 1e1812b1d22a7d05fd180135349dfaf7         # MAC size 32, MAC
             83fb30e21d2eff600260cf3a7e85fbaa
        5678 0000 0000                                # original ID, error 0, other length 0
        """
    )

    static let signedUpdateMAC = hex("1e1812b1d22a7d05fd180135349dfaf783fb30e21d2eff600260cf3a7e85fbaa")
    static let signedUpdateTime: UInt64 = 1_795_598_182

    /// BIND's signed NOERROR answer to `signedUpdate`; its MAC covers the request MAC first.
    static let signedResponse = hex(
        """
        5678 a800 0001 0000 0000 0001                 # QR, UPDATE, NOERROR; ZO=1 AD=1
        036c6162 0474657374 00 0006 0001              # zone lab.test. SOA IN
        09 6c6f6375732d6b6579 00 00fa 00ff 00000000 003d  # TSIG locus-key. ANY 0 RDLEN 61
        0b 686d61632d736861323536 00                  # hmac-sha256.
        00006b06a766 012c                             # time signed, fudge 300
        0020 e58d4dce79ff822dd7f3873ef730ee63         # MAC
             c7ef6eec97489585272cebaad6a739ea
        5678 0000 0000                                # original ID, no error, no other data
        """
    )

    /// BIND's answer to the same UPDATE signed with another secret: NOTAUTH, TSIG error BADSIG, no MAC.
    static let badSignatureResponse = hex(
        """
        5679 a809 0001 0000 0000 0001                 # QR, UPDATE, NOTAUTH
        036c6162 0474657374 00 0006 0001              # zone lab.test. SOA IN
        09 6c6f6375732d6b6579 00 00fa 00ff 00000000 001d  # TSIG locus-key. RDLEN 29
        0b 686d61632d736861323536 00                  # hmac-sha256.
        00006b06a766 012c 0000                        # time (echoed), fudge, MAC size 0
        5679 0010 0000                                # original ID, error 16 BADSIG, other length 0
        """
    )

    /// BIND's answer to an UPDATE signed with a key it does not know (nokey.): NOTAUTH, BADKEY.
    static let badKeyResponse = hex(
        """
        567a a809 0001 0000 0000 0001                 # QR, UPDATE, NOTAUTH
        036c6162 0474657374 00 0006 0001              # zone lab.test. SOA IN
        05 6e6f6b6579 00 00fa 00ff 00000000 001d      # TSIG nokey. RDLEN 29
        0b 686d61632d736861323536 00                  # hmac-sha256.
        00006b06a766 012c 0000                        # time, fudge, MAC size 0
        567a 0011 0000                                # original ID, error 17 BADKEY
        """
    )

    /// Known-answer vectors computed offline with dnspython, `time.time` patched to 1764000000:
    /// `UpdateMessage("lab.test.", id=0x0101, keyring=..., keyname="locus-key.", keyalgorithm=ALG)`,
    /// `replace("db.lab.test.", 120, "A", "192.0.2.40")`, `add("db.lab.test.", 120, "AAAA", "2001:db8::40")`.
    static let knownAnswerSHA256 = hex(
        """
        0101 2800 0001 0000 0003 0001                 # UPDATE; ZO=1 UP=3 AD=1
        036c6162 0474657374 00 0006 0001              # zone lab.test.
        026462 c00c 0001 00ff 00000000 0000           # delete RRset db A
        c01a 0001 0001 00000078 0004 c0000228         # add db 120 A 192.0.2.40
        c01a 001c 0001 00000078 0010                  # add db 120 AAAA
        20010db8 00000000 00000000 00000040           #   2001:db8::40
        09 6c6f6375732d6b6579 00 00fa 00ff 00000000 003d  # TSIG locus-key.
        0b 686d61632d736861323536 00                  # hmac-sha256.
        000069248100 012c                             # time 1764000000, fudge 300
        0020 a0f1ab579f9f8061ee11064d4b10c619         # MAC
             2babb2b7200d472eaf8abf1325c12573
        0101 0000 0000                                # original ID, error, other length
        """
    )

    static let knownAnswerSHA1 = hex(
        """
        0101 2800 0001 0000 0003 0001
        036c6162 0474657374 00 0006 0001
        026462 c00c 0001 00ff 00000000 0000
        c01a 0001 0001 00000078 0004 c0000228
        c01a 001c 0001 00000078 0010
        20010db8 00000000 00000000 00000040
        09 6c6f6375732d6b6579 00 00fa 00ff 00000000 002f  # TSIG locus-key. RDLEN 47
        09 686d61632d73686131 00                      # hmac-sha1.
        000069248100 012c                             # time 1764000000, fudge 300
        0014 dc886f8c672a1564545410c0d9f7364e6663091d  # MAC size 20, MAC
        0101 0000 0000
        """
    )

    static let all: [(name: String, bytes: [UInt8])] = [
        ("query", query), ("response", response), ("nameError", nameError), ("update", update),
        ("signedUpdate", signedUpdate), ("signedResponse", signedResponse),
        ("badSignatureResponse", badSignatureResponse), ("badKeyResponse", badKeyResponse),
        ("knownAnswerSHA256", knownAnswerSHA256), ("knownAnswerSHA1", knownAnswerSHA1),
    ]
}

/// Hex digits to bytes; whitespace and `# comments` to the end of a line are skipped.
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var pending: UInt8? = nil
        for character in code where !character.isWhitespace {
            let value = UInt8(character.hexDigitValue!)
            if let high = pending {
                bytes.append(high << 4 | value)
                pending = nil
            } else {
                pending = value
            }
        }
        precondition(pending == nil, "odd number of hex digits in line: \(line)")
    }
    return bytes
}
