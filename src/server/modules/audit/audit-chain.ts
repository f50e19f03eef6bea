import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";

export type ChainedEvent = {
  orgId: string;
  seq: number;
  id: string;
  at: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
};

/** hash = sha256(previous hash ‖ canonical JSON of the event); the first event's previous hash is "". */
export function hashEvent(prevHash: string, event: ChainedEvent): string {
  const body = canonicalJson({ ...event, at: new Date(event.at).toISOString() });
  return createHash("sha256").update(prevHash).update(body).digest("hex");
}
