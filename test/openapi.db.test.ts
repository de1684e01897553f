import fs from 'node:fs';
import { expect, it } from 'vitest';
import { projectPath } from '../src/project-root.js';
import { generateOpenApi } from './support/openapi.js';

it('matches the checked-in openapi.json (run "npm run openapi" after changing a route)', async () => {
  const committed = JSON.parse(fs.readFileSync(projectPath('openapi.json'), 'utf8')) as unknown;
  expect(await generateOpenApi()).toEqual(committed);
});
