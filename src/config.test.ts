import os from 'node:os';
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

  it('turns e-mail on with an SMTP server and a From address together, off with neither', () => {
    expect(loadConfig({ ...base, env: {} })).toMatchObject({ smtpUrl: null, mailFrom: null });
    const mail = loadConfig({
      ...base,
      env: {
        SETTLEGUARD_SMTP_URL: 'smtp://mail.example.com:25',
        SETTLEGUARD_MAIL_FROM: 'SettleGuard <alerts@example.com>',
        SETTLEGUARD_PUBLIC_URL: 'https://guard.example.com/',
      },
    });
    expect(mail).toMatchObject({
      smtpUrl: 'smtp://mail.example.com:25',
      mailFrom: 'SettleGuard <alerts@example.com>',
      publicUrl: 'https://guard.example.com',
    });
    const only = { SETTLEGUARD_SMTP_URL: 'smtp://mail.example.com' };
    expect(() => loadConfig({ ...base, env: only })).toThrow(/SETTLEGUARD_MAIL_FROM/);
    const http = { SETTLEGUARD_SMTP_URL: 'http://x', SETTLEGUARD_MAIL_FROM: 'a@example.com' };
    expect(() => loadConfig({ ...base, env: http })).toThrow(/smtp:\/\//);
    const from = { SETTLEGUARD_SMTP_URL: 'smtp://x', SETTLEGUARD_MAIL_FROM: 'nobody' };
    expect(() => loadConfig({ ...base, env: from })).toThrow(/SETTLEGUARD_MAIL_FROM/);
    const link = { SETTLEGUARD_PUBLIC_URL: 'guard.example.com' };
    expect(() => loadConfig({ ...base, env: link })).toThrow(/SETTLEGUARD_PUBLIC_URL/);
  });

  it('runs one server process unless told, several only on a PostgreSQL server', () => {
    expect(loadConfig({ ...base, env: {} })).toMatchObject({ workers: 1, workerIndex: 0 });
    const server = { DATABASE_URL: 'postgres://x/y' };
    expect(loadConfig({ ...base, env: { ...server, SETTLEGUARD_WORKERS: '2' } }).workers).toBe(2);
    const auto = loadConfig({ ...base, env: { ...server, SETTLEGUARD_WORKERS: 'auto' } });
    expect(auto.workers).toBe(Math.min(os.availableParallelism(), 64));
    expect(
      loadConfig({ ...base, env: { ...server, SETTLEGUARD_WORKER_INDEX: '1' } }).workerIndex,
    ).toBe(1);
    // The embedded database belongs to one process: more are refused, saying why.
    expect(() => loadConfig({ ...base, env: { SETTLEGUARD_WORKERS: '2' } })).toThrow(
      /SETTLEGUARD_WORKERS=2 needs DATABASE_URL/,
    );
    expect(loadConfig({ ...base, env: { SETTLEGUARD_WORKERS: '1' } }).workers).toBe(1);
    for (const bad of ['0', '65', 'two', '1.5']) {
      expect(() => loadConfig({ ...base, env: { ...server, SETTLEGUARD_WORKERS: bad } })).toThrow(
        /SETTLEGUARD_WORKERS must be auto or an integer from 1 to 64/,
      );
    }
  });
});
