import NIOCore

/// Hand-laid test vectors, one field per line.
///
/// Built field by field from the RFC 9301 / RFC 8060 / RFC 9437 layouts. The MACs were computed with
/// `python3 -c 'import hmac, hashlib; hmac.new(key, msg, hashlib.sha1 or hashlib.sha256).hexdigest()'` over the
/// message with the authentication data zeroed, keys "dc-east-secret" (SHA-1 vectors) and "dc-west-secret-256"
/// (SHA-256 vectors). The inner IPv4 header and UDP checksums were computed with an RFC 1071 sum in python3 (UDP
/// over its pseudo-header).
enum Vectors {
    static let sha1Key = Array("dc-east-secret".utf8)
    static let sha256Key = Array("dc-west-secret-256".utf8)

    static let mapRequestPlain = vector([
        "10000001",  // type 1, no flags, IRC 0 (1 ITR-RLOC), record count 1
        "a1b2c3d4e5f60718",  // nonce
        "0000",  // source EID AFI 0 (none)
        "0001",  // ITR-RLOC AFI 1
        "7f000001",  // ITR-RLOC 127.0.0.1
        "00",  // record reserved (N clear)
        "20",  // EID mask-len 32
        "4003",  // AFI 16387 (LCAF)
        "00",  // LCAF reserved
        "00",  // LCAF flags
        "02",  // LCAF type 2 (Instance-ID)
        "00",  // IID mask-len 0
        "000a",  // LCAF length 10
        "00000007",  // Instance-ID 7
        "0001",  // AFI 1
        "0a010007",  // address
    ])

    static let mapRequestSMR = vector([
        "15000101",  // type 1, M (Map-Reply record appended) + S (SMR), IRC 1 (2 ITR-RLOCs), record count 1
        "0000000000000042",  // nonce
        "0001",  // source EID AFI 1
        "0a010001",  // source EID 10.1.0.1
        "0001",  // ITR-RLOC 1 AFI 1
        "c0000201",  // 192.0.2.1
        "0002",  // ITR-RLOC 2 AFI 2
        "20010db8000000000000000000000001",  // 2001:db8::1
        "00",  // record reserved
        "10",  // EID mask-len 16
        "0001",  // EID AFI 1
        "0a020000",  // 10.2.0.0
        "0000000a",  // Map-Reply record: TTL 10 minutes
        "01",  // locator count 1
        "18",  // mask-len 24
        "1000",  // ACT 0 (no-action), A set
        "0005",  // map-version 5
        "0001",  // EID AFI 1
        "0a010000",  // 10.1.0.0
        "01",  // priority 1
        "64",  // weight 100
        "ff",  // multicast priority 255
        "00",  // multicast weight 0
        "0005",  // flags L + R
        "0001",  // locator AFI 1
        "c0000201",  // 192.0.2.1
    ])

    static let mapRequestProbe = vector([
        "12000001",  // type 1, P (RLOC probe), IRC 0, record count 1
        "1122334455667788",  // nonce
        "0000",  // source EID AFI 0
        "0002",  // ITR-RLOC AFI 2
        "00000000000000000000000000000001",  // ::1
        "00",  // record reserved
        "30",  // EID mask-len 48
        "0002",  // EID AFI 2
        "20010db8000100000000000000000000",  // 2001:db8:1::
    ])

    static let mapRequestSubscribe = vector([
        "10100001",  // type 1, I (xTR-ID/Site-ID follow), IRC 0, record count 1
        "00000000deadbeef",  // nonce
        "0001",  // source EID AFI 1
        "7f000001",  // source EID 127.0.0.1
        "0001",  // ITR-RLOC AFI 1
        "7f000001",  // 127.0.0.1
        "80",  // record reserved: N (subscribe)
        "10",  // EID mask-len 16
        "4003",  // AFI 16387 (LCAF)
        "00",  // LCAF reserved
        "00",  // LCAF flags
        "02",  // LCAF type 2 (Instance-ID)
        "00",  // IID mask-len 0
        "000a",  // LCAF length 10
        "00000000",  // Instance-ID 0
        "0001",  // AFI 1
        "0a010000",  // address
        "00112233445566778899aabbccddeeff",  // xTR-ID
        "0000000000000007",  // Site-ID 7
    ])

    static let mapReplyPositive = vector([
        "24000001",  // type 2, E (echo-nonce capable), record count 1
        "a1b2c3d4e5f60718",  // nonce of the request
        "000005a0",  // TTL 1440 minutes
        "02",  // locator count 2
        "30",  // EID mask-len 48
        "1000",  // ACT 0, A set
        "0001",  // map-version 1
        "4003",  // AFI 16387 (LCAF)
        "00",  // LCAF reserved
        "00",  // LCAF flags
        "02",  // LCAF type 2 (Instance-ID)
        "00",  // IID mask-len 0
        "0016",  // LCAF length 22
        "00000005",  // Instance-ID 5
        "0002",  // AFI 2
        "20010db8000a00000000000000000000",  // address
        "01",  // priority 1
        "32",  // weight 50
        "ff",  // mpriority 255
        "00",  // mweight 0
        "0007",  // flags L p R
        "0001",  // locator AFI 1
        "c000020a",  // 192.0.2.10
        "02",  // priority 2
        "00",  // weight 0
        "ff",  // mpriority 255
        "00",  // mweight 0
        "0001",  // flags R
        "0002",  // locator AFI 2
        "20010db8ffff00000000000000000001",  // 2001:db8:ffff::1
    ])

    static let mapReplyNegative = vector([
        "20000001",  // type 2, no flags, record count 1
        "0102030405060708",  // nonce
        "0000000f",  // TTL 15 minutes
        "00",  // locator count 0 (negative)
        "08",  // EID mask-len 8
        "2000",  // ACT 1 (natively-forward), A clear
        "0000",  // map-version 0
        "0001",  // EID AFI 1
        "0b000000",  // 11.0.0.0
    ])

    static let mapRegisterSHA1 = vector([
        "38000901",  // type 3, P (proxy reply), T (record TTL) + M (want Map-Notify), record count 1
        "0000000000000001",  // nonce
        "01",  // Key ID 1
        "01",  // Algorithm ID 1 (HMAC-SHA-1)
        "0014",  // authentication data length 20
        "fea5989cfcbcc425a4a2d64d7ccd5cbb273b16df",  // MAC (field zeroed while computing)
        "00000003",  // TTL 3 minutes
        "01",  // locator count 1
        "20",  // EID mask-len 32
        "1000",  // ACT 0, A set
        "0000",  // map-version 0
        "0001",  // EID AFI 1
        "0a010007",  // 10.1.0.7
        "01",  // priority 1
        "64",  // weight 100
        "ff",  // mpriority 255
        "00",  // mweight 0
        "0005",  // flags L R
        "0001",  // locator AFI 1
        "7f000101",  // 127.0.1.1
    ])

    static let mapRegisterSHA256 = vector([
        "32000501",  // type 3, I (xTR-ID follows), a (merge) + M, record count 1
        "0000000000000002",  // nonce
        "01",  // Key ID 1
        "02",  // Algorithm ID 2 (HMAC-SHA-256)
        "0020",  // authentication data length 32
        "8aef71c4c86adff61b8b1e67817ea47e060a9cdec30b4145e29ee131136f95e2",  // MAC (field zeroed while computing)
        "000005a0",  // TTL 1440 minutes
        "01",  // locator count 1
        "40",  // EID mask-len 64
        "1000",  // ACT 0, A set
        "0fff",  // map-version 4095
        "4003",  // AFI 16387 (LCAF)
        "00",  // LCAF reserved
        "00",  // LCAF flags
        "02",  // LCAF type 2 (Instance-ID)
        "00",  // IID mask-len 0
        "0016",  // LCAF length 22
        "00abcdef",  // Instance-ID 11259375
        "0002",  // AFI 2
        "20010db8000b00010000000000000000",  // address
        "01",  // priority 1
        "64",  // weight 100
        "ff",  // mpriority 255
        "00",  // mweight 0
        "0005",  // flags L R
        "0002",  // locator AFI 2
        "20010db8ffff00000000000000000002",  // 2001:db8:ffff::2
        "0123456789abcdef0123456789abcdef",  // xTR-ID
        "00000000000000a5",  // Site-ID 165
    ])

    static let mapNotify = vector([
        "48000001",  // type 4, I (xTR-ID follows), record count 1
        "0000000000000002",  // nonce
        "01",  // Key ID 1
        "02",  // Algorithm ID 2 (HMAC-SHA-256)
        "0020",  // authentication data length 32
        "60133defd1426d7407c2c29fd8eae73cb373200c3bbf64953941d5139815278f",  // MAC (field zeroed while computing)
        "000005a0",  // TTL 1440 minutes
        "01",  // locator count 1
        "40",  // EID mask-len 64
        "1000",  // ACT 0, A set
        "0fff",  // map-version 4095
        "4003",  // AFI 16387 (LCAF)
        "00",  // LCAF reserved
        "00",  // LCAF flags
        "02",  // LCAF type 2 (Instance-ID)
        "00",  // IID mask-len 0
        "0016",  // LCAF length 22
        "00abcdef",  // Instance-ID 11259375
        "0002",  // AFI 2
        "20010db8000b00010000000000000000",  // address
        "01",  // priority 1
        "64",  // weight 100
        "ff",  // mpriority 255
        "00",  // mweight 0
        "0005",  // flags L R
        "0002",  // locator AFI 2
        "20010db8ffff00000000000000000002",  // 2001:db8:ffff::2
        "0123456789abcdef0123456789abcdef",  // xTR-ID
        "00000000000000a5",  // Site-ID 165
    ])

    static let mapNotifyAck = vector([
        "50000001",  // type 5, record count 1
        "00000000deadbef0",  // nonce
        "01",  // Key ID 1
        "01",  // Algorithm ID 1 (HMAC-SHA-1)
        "0014",  // authentication data length 20
        "9cbb8fbdfdb96bc2c637af6c65158da4190cc4b2",  // MAC (field zeroed while computing)
        "00000000",  // TTL 0 (withdrawn)
        "00",  // locator count 0
        "20",  // EID mask-len 32
        "0000",  // ACT 0, A clear
        "0000",  // map-version 0
        "0001",  // EID AFI 1
        "0a010007",  // 10.1.0.7
    ])

    static let ecmIPv4 = vector([
        "80000000",  // type 8 (ECM), S and D clear
        "45",  // IPv4, IHL 5
        "00",  // TOS
        "0044",  // total length 68
        "0000",  // identification
        "0000",  // flags/fragment offset
        "40",  // TTL 64
        "11",  // protocol 17 (UDP)
        "f1a0",  // header checksum
        "7f000001",  // source 127.0.0.1 (the ITR)
        "0a010007",  // destination 10.1.0.7 (the EID)
        "c350",  // UDP source port 50000
        "10f6",  // UDP destination port 4342
        "0030",  // UDP length 48
        "7467",  // UDP checksum (with pseudo-header)
        "10000001",  // inner: type 1, no flags, IRC 0 (1 ITR-RLOC), record count 1
        "a1b2c3d4e5f60718",  // inner: nonce
        "0000",  // inner: source EID AFI 0 (none)
        "0001",  // inner: ITR-RLOC AFI 1
        "7f000001",  // inner: ITR-RLOC 127.0.0.1
        "00",  // inner: record reserved (N clear)
        "20",  // inner: EID mask-len 32
        "4003",  // inner: AFI 16387 (LCAF)
        "00",  // inner: LCAF reserved
        "00",  // inner: LCAF flags
        "02",  // inner: LCAF type 2 (Instance-ID)
        "00",  // inner: IID mask-len 0
        "000a",  // inner: LCAF length 10
        "00000007",  // inner: Instance-ID 7
        "0001",  // inner: AFI 1
        "0a010007",  // inner: address
    ])

    static let ecmIPv6 = vector([
        "80000000",  // type 8 (ECM), S and D clear
        "60000000",  // IPv6, traffic class 0, flow label 0
        "003c",  // payload length 60
        "11",  // next header 17 (UDP)
        "40",  // hop limit 64
        "00000000000000000000000000000001",  // source ::1 (the ITR)
        "20010db8000100000000000000000007",  // destination 2001:db8:1::7 (the EID)
        "c350",  // UDP source port 50000
        "10f6",  // UDP destination port 4342
        "003c",  // UDP length 60
        "ac28",  // UDP checksum (with pseudo-header)
        "12000001",  // inner: type 1, P (RLOC probe), IRC 0, record count 1
        "1122334455667788",  // inner: nonce
        "0000",  // inner: source EID AFI 0
        "0002",  // inner: ITR-RLOC AFI 2
        "00000000000000000000000000000001",  // inner: ::1
        "00",  // inner: record reserved
        "30",  // inner: EID mask-len 48
        "0002",  // inner: EID AFI 2
        "20010db8000100000000000000000000",  // inner: 2001:db8:1::
    ])

    static let mapNotifyWithoutIBit = vector([
        "40000001",  // type 4, I clear, record count 1
        "0000000000000002",  // nonce
        "01",  // Key ID 1
        "02",  // Algorithm ID 2 (HMAC-SHA-256)
        "0020",  // authentication data length 32
        "89b80285f5d1066f92bb9bf16cd1a9fa6392556bda75e79d5fc37922c4d94c9f",  // MAC (field zeroed while computing)
        "000005a0",  // TTL 1440 minutes
        "01",  // locator count 1
        "40",  // EID mask-len 64
        "1000",  // ACT 0, A set
        "0fff",  // map-version 4095
        "4003",  // AFI 16387 (LCAF)
        "00",  // LCAF reserved
        "00",  // LCAF flags
        "02",  // LCAF type 2 (Instance-ID)
        "00",  // IID mask-len 0
        "0016",  // LCAF length 22
        "00abcdef",  // Instance-ID 11259375
        "0002",  // AFI 2
        "20010db8000b00010000000000000000",  // address
        "01",  // priority 1
        "64",  // weight 100
        "ff",  // mpriority 255
        "00",  // mweight 0
        "0005",  // flags L R
        "0002",  // locator AFI 2
        "20010db8ffff00000000000000000002",  // 2001:db8:ffff::2
        "0123456789abcdef0123456789abcdef",  // xTR-ID
        "00000000000000a5",  // Site-ID 165
    ])

    static let all: [(name: String, bytes: ByteBuffer)] = [
        ("mapRequestPlain", mapRequestPlain),
        ("mapRequestSMR", mapRequestSMR),
        ("mapRequestProbe", mapRequestProbe),
        ("mapRequestSubscribe", mapRequestSubscribe),
        ("mapReplyPositive", mapReplyPositive),
        ("mapReplyNegative", mapReplyNegative),
        ("mapRegisterSHA1", mapRegisterSHA1),
        ("mapRegisterSHA256", mapRegisterSHA256),
        ("mapNotify", mapNotify),
        ("mapNotifyAck", mapNotifyAck),
        ("ecmIPv4", ecmIPv4),
        ("ecmIPv6", ecmIPv6),
        ("mapNotifyWithoutIBit", mapNotifyWithoutIBit),
    ]

    private static func vector(_ fields: [String]) -> ByteBuffer {
        bufferFromHex(fields.joined())
    }
}
