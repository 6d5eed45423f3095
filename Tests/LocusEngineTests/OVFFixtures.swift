import Foundation

/// OVF descriptors written for the tests.
enum OVFFixtures {
    static let envelopeAttributes = """
        xmlns="http://schemas.dmtf.org/ovf/envelope/1" \
        xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" \
        xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" \
        xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
        """

    /// One VM with two NICs, memory in `byte * 2^20`, a disk, and an `ip0` property in a
    /// `ProductSection` decorated with class and instance.
    static func singleVM(name: String = "web-07", ip: String = "10.1.0.7", mac: String = "00:50:56:aa:00:07") -> String
    {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Envelope \(envelopeAttributes)>
          <References><File ovf:id="file1" ovf:href="disk1.vmdk"/></References>
          <DiskSection>
            <Info>Virtual disks</Info>
            <Disk ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:capacity="16" ovf:capacityAllocationUnits="byte * 2^30"/>
          </DiskSection>
          <NetworkSection>
            <Info>Networks</Info>
            <Network ovf:name="VM Network"><Description>front end</Description></Network>
            <Network ovf:name="Backup"><Description>backup</Description></Network>
          </NetworkSection>
          <VirtualSystem ovf:id="vm-\(name)">
            <Info>A web server</Info>
            <Name>\(name)</Name>
            <OperatingSystemSection ovf:id="101"><Info>OS</Info><Description>Debian 12</Description></OperatingSystemSection>
            <VirtualHardwareSection>
              <Info>Hardware</Info>
              <System><vssd:VirtualSystemType>vmx-19</vssd:VirtualSystemType></System>
              <Item>
                <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
                <rasd:ElementName>2 virtual CPUs</rasd:ElementName>
                <rasd:InstanceID>1</rasd:InstanceID>
                <rasd:ResourceType>3</rasd:ResourceType>
                <rasd:VirtualQuantity>2</rasd:VirtualQuantity>
              </Item>
              <Item>
                <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
                <rasd:ElementName>4096 MB of memory</rasd:ElementName>
                <rasd:InstanceID>2</rasd:InstanceID>
                <rasd:ResourceType>4</rasd:ResourceType>
                <rasd:VirtualQuantity>4096</rasd:VirtualQuantity>
              </Item>
              <Item>
                <rasd:Address>\(mac)</rasd:Address>
                <rasd:Connection>VM Network</rasd:Connection>
                <rasd:ElementName>eth0</rasd:ElementName>
                <rasd:InstanceID>3</rasd:InstanceID>
                <rasd:ResourceType>10</rasd:ResourceType>
              </Item>
              <Item>
                <rasd:Address>00:50:56:bb:00:07</rasd:Address>
                <rasd:Connection>Backup</rasd:Connection>
                <rasd:ElementName>eth1</rasd:ElementName>
                <rasd:InstanceID>4</rasd:InstanceID>
                <rasd:ResourceType>10</rasd:ResourceType>
              </Item>
              <Item>
                <rasd:ElementName>Hard disk 1</rasd:ElementName>
                <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
                <rasd:InstanceID>5</rasd:InstanceID>
                <rasd:ResourceType>17</rasd:ResourceType>
              </Item>
            </VirtualHardwareSection>
            <ProductSection ovf:class="com.example.web" ovf:instance="1">
              <Info>Settings</Info>
              <Property ovf:key="hostname" ovf:type="string" ovf:value="\(name)"/>
              <Property ovf:key="ip0" ovf:type="string" ovf:value="\(ip)"/>
            </ProductSection>
          </VirtualSystem>
        </Envelope>
        """
    }

    /// A collection of two VMs, written with other prefixes (`o:`, `r:`) and no default namespace;
    /// addresses come from `ip:NETWORK`-typed properties with other keys, memory in `MB`.
    static let collection = """
        <?xml version="1.0"?>
        <o:Envelope xmlns:o="http://schemas.dmtf.org/ovf/envelope/2" \
        xmlns:r="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">
          <o:NetworkSection>
            <o:Info>Networks</o:Info>
            <o:Network o:name="east-net"/>
            <o:Network o:name="west-net"/>
          </o:NetworkSection>
          <o:VirtualSystemCollection o:id="shop">
            <o:Info>The shop</o:Info>
            <o:VirtualSystem o:id="app-01">
              <o:Info>App</o:Info>
              <o:VirtualHardwareSection>
                <o:Info>Hardware</o:Info>
                <o:Item>
                  <r:ResourceType>4</r:ResourceType>
                  <r:VirtualQuantity>2</r:VirtualQuantity>
                  <r:AllocationUnits>GB</r:AllocationUnits>
                </o:Item>
                <o:Item>
                  <r:ResourceType>10</r:ResourceType>
                  <r:Connection>west-net</r:Connection>
                  <r:Address>00:50:56:aa:01:01</r:Address>
                </o:Item>
              </o:VirtualHardwareSection>
              <o:ProductSection>
                <o:Info>Settings</o:Info>
                <o:Property o:key="address" o:type="ip:west-net" o:value="10.2.0.1"/>
              </o:ProductSection>
            </o:VirtualSystem>
            <o:VirtualSystem o:id="db-01">
              <o:Info>DB</o:Info>
              <o:VirtualHardwareSection>
                <o:Info>Hardware</o:Info>
                <o:Item>
                  <r:ResourceType>10</r:ResourceType>
                  <r:Connection>east-net</r:Connection>
                </o:Item>
              </o:VirtualHardwareSection>
              <o:ProductSection o:class="vami" o:instance="db">
                <o:Info>Settings</o:Info>
                <o:Property o:key="ip0" o:type="ip" o:value="10.1.0.9"/>
              </o:ProductSection>
            </o:VirtualSystem>
          </o:VirtualSystemCollection>
        </o:Envelope>
        """

    /// A VM described in `file` with a given hardware section body.
    static func vm(id: String, hardware: String, properties: String = "") -> String {
        """
        <?xml version="1.0"?>
        <Envelope \(envelopeAttributes)>
          <NetworkSection><Info>n</Info><Network ovf:name="VM Network"/></NetworkSection>
          <VirtualSystem ovf:id="\(id)">
            <Info>vm</Info>
            <VirtualHardwareSection><Info>hw</Info>\(hardware)</VirtualHardwareSection>
            <ProductSection><Info>p</Info>\(properties)</ProductSection>
          </VirtualSystem>
        </Envelope>
        """
    }

    static let nic = """
        <Item><rasd:ResourceType>10</rasd:ResourceType><rasd:Connection>VM Network</rasd:Connection></Item>
        """

    /// A ustar archive holding `members` in order, as `tar` writes it.
    static func tar(_ members: [(name: String, data: Data)]) -> Data {
        var archive = Data()
        for member in members {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int) {
                for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
            }
            put(member.name, at: 0)
            put("0000644", at: 100)
            put("0000000", at: 108)
            put("0000000", at: 116)
            put(String(format: "%011o", member.data.count), at: 124)
            put(String(format: "%011o", 1_700_000_000), at: 136)
            put("        ", at: 148)
            header[156] = UInt8(ascii: "0")
            put("ustar", at: 257)
            put("00", at: 263)
            let checksum = header.reduce(0) { $0 + Int($1) }
            put(String(format: "%06o", checksum), at: 148)
            header[154] = 0
            header[155] = UInt8(ascii: " ")
            archive.append(contentsOf: header)
            archive.append(member.data)
            let padding = (512 - member.data.count % 512) % 512
            archive.append(Data(count: padding))
        }
        archive.append(Data(count: 1024))
        return archive
    }
}
