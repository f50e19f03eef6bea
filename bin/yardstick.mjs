#!/usr/bin/env node
// The `yardstick` command: loads the TypeScript CLI through tsx's ESM loader (no build step).
import { register } from "tsx/esm/api";

register();
await import("../src/server/cli/main.ts");
