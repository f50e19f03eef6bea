/**
 * What the service stores in, and the runner reads from, `data_sources.secret`: sealed values
 * (connectors.secrets.ts) under the server's key; plain text left by earlier versions is read as is
 * and sealed at the next save.
 */
import { AppError } from "../../errors.ts";
import {
  envSecretKey,
  isSealed,
  NO_KEY,
  open,
  SecretError,
  type SecretKeySource,
  seal,
  secretContext,
} from "./connectors.secrets.ts";

export function createSecretColumn(keySource: SecretKeySource = envSecretKey) {
  /** The key, or a problem naming `secret` when a misconfigured key makes it unreadable. */
  const key = () => {
    try {
      return keySource();
    } catch (err) {
      if (err instanceof SecretError)
        throw new AppError("invalid", { field: "secret", message: err.message });
      throw err;
    }
  };

  return {
    /**
     * The column's new value and whether the secret changed. `next`: undefined keeps the stored one
     * (sealing it when it is still plain text and a key exists), null or "" removes it, a string
     * replaces it; a new secret without a key is refused naming `secret`.
     */
    toStore(
      orgId: string,
      sourceId: string,
      stored: string | null,
      next: string | null | undefined,
    ): { stored: string | null; changed: boolean } {
      const context = secretContext(orgId, sourceId);
      if (next === undefined) {
        if (stored === null || isSealed(stored)) return { stored, changed: false };
        const k = key();
        return { stored: k ? seal(k, stored, context) : stored, changed: false };
      }
      if (next === null || next === "") return { stored: null, changed: stored !== null };
      const k = key();
      if (!k) throw new AppError("invalid", { field: "secret", message: NO_KEY });
      let before: string | null = null;
      try {
        before = stored === null ? null : open(k, stored, context);
      } catch (err) {
        if (!(err instanceof SecretError)) throw err; // an unreadable old secret: replaced, so changed
      }
      return { stored: seal(k, next, context), changed: before !== next };
    },

    /** The plain secret for a pull; SecretError (the run's reason) when it cannot be opened. */
    read(orgId: string, sourceId: string, stored: string | null): string | null {
      if (stored === null) return null;
      return open(isSealed(stored) ? keySource() : null, stored, secretContext(orgId, sourceId));
    },
  };
}

export type SecretColumn = ReturnType<typeof createSecretColumn>;
