/**
 * GETting a connector's URL without letting it reach into the server's own network (SSRF): only
 * http and https; a URL whose host is a non-public IP literal or a localhost name is refused when the
 * source is saved and again before each request; a host name is resolved by our own lookup, which
 * refuses it when any address it resolves to is not public, and the connection goes to the address
 * that lookup checked (no second resolution that DNS rebinding could change). Redirects are followed
 * (at most five), each hop checked the same way; the secret header goes only to the source's own
 * origin. `YARDSTICK_CONNECTORS_ALLOW_PRIVATE=true` turns the address checks off (an operator whose
 * sources live on the internal network, and the tests' local servers).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { addressRefusal, isLocalhostName } from "../../../domain/network-address.ts";

export const MAX_REDIRECTS = 5;

/** Whether the operator lets connectors fetch loopback, link-local and private addresses. */
export const allowPrivate = (): boolean => process.env.YARDSTICK_CONNECTORS_ALLOW_PRIVATE === "true";

const HOW_TO_ALLOW =
  "connectors fetch only public addresses (an operator may allow private ones with YARDSTICK_CONNECTORS_ALLOW_PRIVATE=true)";

/** A fetch the guard refused; the message names the address and why. */
export class RefusedAddressError extends Error {
  readonly code = "ADDRESS_REFUSED";
}

/**
 * Why a connector may not fetch this URL, judged from the URL alone (no DNS): not http(s), or a host
 * that is a non-public IP literal or (`names`, at save time) a localhost name. Undefined when it may
 * be fetched. Before a request, names are left to the guarded lookup: DNS has the last word.
 */
export function urlRefusal(url: string, allow = allowPrivate(), names = true): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "must be an http:// or https:// URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return "must be an http:// or https:// URL";
  if (allow) return undefined;
  if (names && isLocalhostName(u.hostname)) return `${u.hostname} is this server itself; ${HOW_TO_ALLOW}`;
  const refused = addressRefusal(u.hostname);
  return refused ? `${refused}; ${HOW_TO_ALLOW}` : undefined;
}

type Resolve = (
  hostname: string,
  options: { all: true; family?: number | undefined },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for node:net that resolves every address of the name and refuses the name when any of
 * them is not public (a name that answers one public and one private address could be steered to
 * the private one). `resolve` is dns.lookup; tests pass their own.
 */
export function guardedLookup(resolve: Resolve = dnsLookup as Resolve): LookupFunction {
  return (hostname, options, callback) => {
    const family = typeof options.family === "number" ? options.family : undefined;
    resolve(hostname, { all: true, family }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      for (const a of addresses) {
        const refused = addressRefusal(a.address);
        if (refused)
          return callback(
            new RefusedAddressError(
              `${hostname} resolves to ${a.address}, ${refused.slice(`${a.address} is `.length)}; ${HOW_TO_ALLOW}`,
            ),
            "",
            0,
          );
      }
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** One GET; answers the response (its body not read yet). */
function get(url: URL, headers: Record<string, string>, signal: AbortSignal, allow: boolean) {
  const client = url.protocol === "https:" ? https : http;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = client.get(url, { headers, signal, ...(allow ? {} : { lookup: guardedLookup() }) }, resolve);
    req.on("error", reject);
  });
}

/** The body, decompressed when the server compressed it (the size limit counts decompressed bytes). */
function bodyOf(res: IncomingMessage): AsyncIterable<Buffer> {
  switch ((res.headers["content-encoding"] ?? "").toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return res.pipe(createGunzip());
    case "deflate":
      return res.pipe(createInflate());
    case "br":
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

export type FetchFault =
  | { kind: "status"; status: number; statusText: string; url: string }
  | { kind: "too_large"; bytes: number | null; limit: number; url: string }
  | { kind: "refused"; message: string; url: string };

/** A fault the caller words (status, size, refusal); other errors are the network's. */
export class FetchError extends Error {
  constructor(readonly fault: FetchFault) {
    super(fault.kind);
  }
}

/**
 * GETs `url` under the guard, following redirects hop by hop; answers the body as text, at most
 * `limit` bytes. Throws FetchError for a refused hop, a non-2xx answer or an answer over the limit;
 * the signal's abort and network errors as they come.
 */
export async function guardedGet(
  url: string,
  opts: { headers: Record<string, string>; signal: AbortSignal; limit: number },
): Promise<string> {
  const allow = allowPrivate();
  const origin = new URL(url).origin;
  let at = new URL(url);
  for (let hop = 0; ; hop++) {
    const refused = urlRefusal(at.toString(), allow, false);
    if (refused) throw new FetchError({ kind: "refused", message: refused, url: at.toString() });
    // the secret goes to the source's own origin only, never to where a redirect points elsewhere
    const res = await get(at, at.origin === origin ? opts.headers : {}, opts.signal, allow);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && location) {
      res.resume();
      if (hop >= MAX_REDIRECTS)
        throw new FetchError({
          kind: "status",
          status,
          statusText: `more than ${MAX_REDIRECTS} redirects`,
          url,
        });
      at = new URL(location, at);
      continue;
    }
    if (status < 200 || status > 299) {
      res.resume();
      throw new FetchError({
        kind: "status",
        status,
        statusText: res.statusMessage ?? "",
        url: at.toString(),
      });
    }
    const length = Number(res.headers["content-length"] ?? "0");
    if (length > opts.limit) {
      res.destroy();
      throw new FetchError({ kind: "too_large", bytes: length, limit: opts.limit, url: at.toString() });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of bodyOf(res)) {
      size += chunk.byteLength;
      if (size > opts.limit) {
        res.destroy();
        throw new FetchError({ kind: "too_large", bytes: null, limit: opts.limit, url: at.toString() });
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }
}
