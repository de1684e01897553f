import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = { cwd: '/srv/sg', projectRoot: '/opt/sg' };

describe('loadConfig', () => {
  it('defaults to port 3000, ./data, the demo and no server database', () => {
    const config = loadConfig({ ...base, env: {} });
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      dataDir: '/srv/sg/data',
      keyFile: '/srv/sg/data/master.key',
      demo: true,
      consoleDir: '/opt/sg/console/dist',
    });
  });

  it('reads the environment and --no-demo', () => {
    const config = loadConfig({
      ...base,
      env: { PORT: '8080', DATABASE_URL: 'postgres://x/y', SETTLEGUARD_DATA_DIR: '/var/sg' },
      argv: ['--no-demo'],
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://x/y',
      dataDir: '/var/sg',
      demo: false,
    });
  });

  it('refuses bad values with the variable named', () => {
    expect(() => loadConfig({ ...base, env: { PORT: 'eighty' } })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, env: { PORT: 'eighty' } })).toThrow(/PORT/);
    expect(() => loadConfig({ ...base, env: { SETTLEGUARD_ADMIN_TOKEN: 'short' } })).toThrow(/16/);
  });
});
