// After `next build`: makes .next/standalone a self-contained server (node .next/standalone/server.js), as the
// launcher, the tests and the container image run it: the static files and public/ go beside server.js.
import { cpSync, existsSync, rmSync } from "node:fs";

const target = ".next/standalone";
rmSync(`${target}/.next/static`, { recursive: true, force: true });
cpSync(".next/static", `${target}/.next/static`, { recursive: true });
if (existsSync("public")) cpSync("public", `${target}/public`, { recursive: true });
