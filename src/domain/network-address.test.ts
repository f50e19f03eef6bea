import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressRefusal, classifyAddress, isLocalhostName, parseIpv4, parseIpv6 } from "./network-address.ts";

describe("classifyAddress", () => {
  it.each([
    // IPv4
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.15.255.255", "public"], // just below 172.16/12
    ["172.32.0.0", "public"], // just above
    ["192.168.1.20", "private"],
    ["192.169.0.1", "public"],
    ["100.64.0.1", "private"],
    ["100.128.0.1", "public"],
    ["169.254.169.254", "link_local"],
    ["169.254.0.1", "link_local"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "reserved"],
    ["8.8.8.8", "public"],
    ["93.184.216.34", "public"],
    // IPv6
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link_local"],
    ["febf:ffff::1", "link_local"],
    ["fc00::1", "private"],
    ["fd12:3456:789a::1", "private"],
    ["fec0::1", "private"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["2606:4700:4700::1111", "public"],
    // IPv6 carrying IPv4: classed by the IPv4 address
    ["::ffff:127.0.0.1", "loopback"],
    ["[::ffff:7f00:1]", "loopback"], // the same, as the URL parser writes it
    ["::ffff:169.254.169.254", "link_local"],
    ["::ffff:a9fe:a9fe", "link_local"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["::127.0.0.1", "loopback"], // IPv4-compatible (deprecated)
    ["64:ff9b::10.0.0.1", "private"], // NAT64
    ["64:ff9b::8.8.8.8", "public"],
  ])("%s is %s", (text, cls) => {
    expect(classifyAddress(text)).toBe(cls);
  });

  it.each([
    "example.com",
    "localhost",
    "1.2.3",
    "01.2.3.4",
    "256.1.1.1",
    "1.2.3.4.5",
    ":::1",
    "1::2::3",
    "12345::1",
    "1:2:3:4:5:6:7:8:9",
    "fe80::1%eth0",
    "",
  ])("%j is not an IP literal", (text) => {
    expect(classifyAddress(text)).toBeNull();
  });

  it("parses the bytes, with :: and a trailing dotted quad", () => {
    expect(parseIpv4("192.168.0.7")).toEqual([192, 168, 0, 7]);
    expect(parseIpv6("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    expect(parseIpv6("2001:db8::8:800:200c:417a")).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a,
    ]);
  });

  it("property: an IPv4 address and its IPv4-mapped IPv6 form are of one class", () => {
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(byte, byte, byte, byte), (b) => {
        const v4 = b.join(".");
        const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
        expect(classifyAddress(`::ffff:${v4}`)).toBe(classifyAddress(v4));
        expect(classifyAddress(`::ffff:${hex(b[0], b[1])}:${hex(b[2], b[3])}`)).toBe(classifyAddress(v4));
      }),
    );
  });
});

describe("addressRefusal and localhost names", () => {
  it("says why, or null for a public address or a name", () => {
    expect(addressRefusal("169.254.169.254")).toBe(
      "169.254.169.254 is a link-local address (e.g. the cloud metadata service)",
    );
    expect(addressRefusal("[::1]")).toBe("[::1] is a loopback address (this server itself)");
    expect(addressRefusal("10.0.0.5")).toBe("10.0.0.5 is a private network address");
    expect(addressRefusal("8.8.8.8")).toBeNull();
    expect(addressRefusal("example.com")).toBeNull();
  });

  it.each([
    ["localhost", true],
    ["LOCALHOST.", true],
    ["api.localhost", true],
    ["localhost.example.com", false],
    ["notlocalhost", false],
  ])("%s is a localhost name: %s", (host, yes) => {
    expect(isLocalhostName(host)).toBe(yes);
  });
});
