import { startTestApp } from './app.js';

/** The OpenAPI document of the whole application, as `/openapi.json` serves it. */
export async function generateOpenApi(): Promise<unknown> {
  const t = await startTestApp();
  try {
    return (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<unknown>();
  } finally {
    await t.close();
  }
}
