/**
 * What kind of network address an IP literal is, so that connectors (which fetch URLs a steward
 * types) can refuse addresses inside the server's own network: loopback, link-local (the cloud
 * metadata service at 169.254.169.254 lives there), private (RFC 1918, fc00::/7), unspecified, and
 * other ranges that are never a public web server. Pure: text in, class out; no DNS.
 *
 * IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
 * NAT64 64:ff9b::/96) are classed by the IPv4 address they carry, so ::ffff:127.0.0.1 is loopback.
 */

export type AddressClass =
  | "public"
  | "loopback"
  | "link_local"
  | "private"
  | "unspecified"
  | "multicast"
  | "reserved";

/** The four bytes of a dotted-quad IPv4 address (decimal, no leading zeros), or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** The sixteen bytes of an IPv6 address (with `::` and a trailing dotted quad; no zone), or null. */
export function parseIpv6(text: string): number[] | null {
  let t = text;
  if (t.startsWith("[") && t.endsWith("]")) t = t.slice(1, -1);
  if (t.includes("%") || !t.includes(":")) return null;
  let tail: number[] = [];
  const lastColon = t.lastIndexOf(":");
  if (t.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(t.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    t = `${t.slice(0, lastColon + 1)}0:0`; // two placeholder groups, replaced below
  }
  const halves = t.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0] ?? "");
  const rest = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const n = Number.parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Whether the first `bits` bits of `bytes` equal those of `prefix`. */
function inPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = Math.floor(i / 8);
    const mask = 0x80 >> (i % 8);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

const V4_RANGES: [number[], number, AddressClass][] = [
  [[0, 0, 0, 0], 8, "unspecified"], // "this network"; 0.0.0.0 reaches the host itself
  [[127, 0, 0, 0], 8, "loopback"],
  [[10, 0, 0, 0], 8, "private"],
  [[172, 16, 0, 0], 12, "private"],
  [[192, 168, 0, 0], 16, "private"],
  [[100, 64, 0, 0], 10, "private"], // shared address space (carrier-grade NAT)
  [[169, 254, 0, 0], 16, "link_local"],
  [[192, 0, 0, 0], 24, "reserved"], // IETF protocol assignments
  [[198, 18, 0, 0], 15, "reserved"], // benchmarking
  [[224, 0, 0, 0], 4, "multicast"],
  [[240, 0, 0, 0], 4, "reserved"], // includes the broadcast 255.255.255.255
];

function classifyV4(b: number[]): AddressClass {
  for (const [prefix, bits, cls] of V4_RANGES) if (inPrefix(b, prefix, bits)) return cls;
  return "public";
}

const zeros = (n: number) => Array<number>(n).fill(0);

function classifyV6(b: number[]): AddressClass {
  if (b.every((x) => x === 0)) return "unspecified";
  if (inPrefix(b, [...zeros(15), 1], 128)) return "loopback";
  // IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96: the IPv4 address decides
  if (
    inPrefix(b, [...zeros(10), 0xff, 0xff], 96) ||
    inPrefix(b, zeros(12), 96) ||
    inPrefix(b, [0, 0x64, 0xff, 0x9b], 96)
  )
    return classifyV4(b.slice(12));
  if (inPrefix(b, [0xfe, 0x80], 10)) return "link_local";
  if (inPrefix(b, [0xfc], 7)) return "private"; // unique local
  if (inPrefix(b, [0xfe, 0xc0], 10)) return "private"; // site-local (deprecated)
  if (inPrefix(b, [0xff], 8)) return "multicast";
  if (inPrefix(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return "reserved"; // documentation
  return "public";
}

/** The class of an IP literal (IPv4 dotted quad, IPv6 with or without brackets), or null for a name. */
export function classifyAddress(text: string): AddressClass | null {
  const v4 = parseIpv4(text);
  if (v4) return classifyV4(v4);
  const v6 = parseIpv6(text);
  return v6 ? classifyV6(v6) : null;
}

const CLASS_TEXT: Record<Exclude<AddressClass, "public">, string> = {
  loopback: "a loopback address (this server itself)",
  link_local: "a link-local address (e.g. the cloud metadata service)",
  private: "a private network address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  reserved: "a reserved address",
};

/** Why a connector may not fetch from this address, or null when it is public (or not an IP literal). */
export function addressRefusal(text: string): string | null {
  const cls = classifyAddress(text);
  return cls === null || cls === "public" ? null : `${text} is ${CLASS_TEXT[cls]}`;
}

/** Host names that always mean this machine (RFC 6761), refused without asking DNS. */
export const isLocalhostName = (host: string): boolean => {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
};
