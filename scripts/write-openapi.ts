/**
 * Writes the OpenAPI document generated from the route schemas to `openapi.json`, which is
 * checked in: a test fails when the routes and the file drift apart.
 */
import fs from 'node:fs';
import { projectPath } from '../src/project-root.js';
import { generateOpenApi } from '../test/support/openapi.js';

const document = await generateOpenApi();
fs.writeFileSync(projectPath('openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write('Wrote openapi.json\n');
