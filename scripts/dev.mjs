/**
 * `npm run dev`: the API server restarting on change (tsx watch) and Vite's dev server with hot reload,
 * in one terminal. Open http://127.0.0.1:5173; Vite forwards /api to the server on port 3000.
 */
import { spawn } from "node:child_process";

const children = [
  spawn("npx", ["tsx", "watch", "src/server/main.ts", "--no-web-build"], { stdio: "inherit" }),
  spawn("npx", ["vite"], { stdio: "inherit" }),
];
const stopAll = () => {
  for (const c of children) c.kill("SIGTERM");
};
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);
for (const c of children) {
  c.on("exit", (code) => {
    stopAll();
    process.exitCode = code ?? 0;
  });
}
