// Healthcheck of the compose app services: `node /compose/probe.mjs <url>` exits 0 when the URL answers
// 2xx within 2 s, else 1. The app images hold node but no curl or wget.
const url = process.argv[2];
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
