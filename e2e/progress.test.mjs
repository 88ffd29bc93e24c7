// A background export that takes 2 s, called 20 times over stdio with a
// progressToken (the TypeScript SDK sends one when given onprogress): every
// call returns the PDF, and every call sees progress before its result,
// because our stdio loop writes a call's notifications before its result.
// progress.mjs measures the same over other transports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { measure } from './progress.mjs';

describe('progress over stdio (TS SDK client, 2 s background exports)', () => {
  it('20 of 20 calls return the document and see progress before the result', async () => {
    const tmp = fs.mkdtempSync(path.join(process.env.E2E_TMP || os.tmpdir(), 'progress-'));
    // Five at a time keeps the test near 12 s; order per call is what counts.
    const s = await measure({ transport: 'stdio', calls: 20, concurrency: 5, tmp });
    console.log(`# ${JSON.stringify(s)}`);
    assert.deepEqual(s.failures, []);
    assert.equal(s.documents, 20);
    assert.equal(s.sawProgressFirst, 20);
    assert.equal(s.lateNotifications, 0, 'no progress may arrive after its result');
    assert.equal(s.progressIncreasing, true);
  });
});
