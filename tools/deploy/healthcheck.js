#!/usr/bin/env node
// Container health probe of the Accord image (Dockerfile HEALTHCHECK, docker-compose.yml
// healthchecks). The slim Node image has no curl or wget, and Node's own fetch needs no package.
//
//   node tools/deploy/healthcheck.js [url]
//
// Asks the URL given (else HEALTHCHECK_URL, else the gateway's http://127.0.0.1:3000/health) and
// exits 0 on a 2xx answer, 1 on any other answer, a refused connection or a timeout
// (HEALTHCHECK_TIMEOUT_MS, default 4000: below the HEALTHCHECK's own --timeout, so the reason is
// printed, and Docker keeps it in `docker inspect`).
'use strict';

const url = process.argv[2] || process.env.HEALTHCHECK_URL || 'http://127.0.0.1:3000/health';
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS) || 4000;

fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
  async (response) => {
    await response.body?.cancel();
    if (!response.ok) console.error(`${url}: HTTP ${response.status}`);
    // exit(), not exitCode: an idle keep-alive socket must not hold the probe open.
    process.exit(response.ok ? 0 : 1);
  },
  (error) => {
    console.error(`${url}: ${error && error.cause ? error.cause.code || error.cause.message : error}`);
    process.exit(1);
  },
);
