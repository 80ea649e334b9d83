import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedConfig, type EmbeddedConfig } from '@accord/service-kit';
import { httpClient } from '@accord/testing';
import { startEmbedded, type EmbeddedOptions, type EmbeddedPlatform } from '../embedded';

export interface EmbeddedHarness {
  readonly config: EmbeddedConfig;
  readonly dataDir: string;
  /** The running platform (set in beforeAll). */
  readonly platform: EmbeddedPlatform;
  /** An HTTP client on the platform's URL. */
  readonly call: ReturnType<typeof httpClient>;
}

/**
 * The embedded profile for an end-to-end spec: a throwaway DATA_DIR, a free port, started before
 * the spec's tests and stopped (and its data removed) after them.
 */
export function useEmbeddedPlatform(name: string, options: EmbeddedOptions = {}): EmbeddedHarness {
  const dataDir = mkdtempSync(join(tmpdir(), `accord-${name}-`));
  const config = embeddedConfig({ DATA_DIR: dataDir, PORT: '0' });
  let platform: EmbeddedPlatform | undefined;
  let call: ReturnType<typeof httpClient> | undefined;
  beforeAll(async () => {
    platform = await startEmbedded(config, { logger: false, ...options });
    call = httpClient(platform.url);
  });
  afterAll(async () => {
    await platform?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    config,
    dataDir,
    get platform() {
      if (!platform) throw new Error('the platform starts in beforeAll');
      return platform;
    },
    get call() {
      if (!call) throw new Error('the platform starts in beforeAll');
      return call;
    },
  };
}
