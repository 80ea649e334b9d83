#!/usr/bin/env node
// `npx accord …` from the repository: the TypeScript sources run as they are (tools/register.js).
require('../../../tools/register.js');
require('../src/main.ts');
