/**
 * Helpers for the account-change tests: requests through `app.inject` with the status and the
 * body, documents uploaded and reviewed through the documents API, and a world of merchants.
 */
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { bearer } from './app.js';
import { multipart, SAMPLES } from './evidence.js';

export type Headers = { authorization: string };

export interface Reply<T> {
  status: number;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  t: TestApp,
  method: 'GET' | 'POST',
  url: string,
  headers: Headers,
  payload?: unknown,
): Promise<Reply<T>> {
  const response = await t.app.inject(
    payload === undefined
      ? { method, url, headers }
      : { method, url, headers, payload: payload as Record<string, unknown> },
  );
  const text = response.body;
  return {
    status: response.statusCode,
    body: (text && response.headers['content-type']?.toString().includes('json')
      ? JSON.parse(text)
      : text) as T,
  };
}

/** Uploads a document as `headers` (a PDF, or a PNG for images) and returns its id. */
export async function uploadDocument(
  t: TestApp,
  headers: Headers,
  merchantNo: string,
  type: string,
): Promise<string> {
  // Each upload a second apart: lists ordered by time read in the order of the test.
  t.advance(1_000);
  const isImage = type.startsWith('legal_person_id') || type === 'bank_card';
  const form = multipart([
    { name: 'type', data: type },
    {
      name: 'file',
      data: isImage ? SAMPLES.png : SAMPLES.pdf,
      filename: isImage ? `${type}.png` : `${type}.pdf`,
      contentType: isImage ? 'image/png' : 'application/pdf',
    },
  ]);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/merchants/${merchantNo}/documents`,
    headers: { ...headers, ...form.headers },
    payload: form.payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

export async function reviewDocument(
  t: TestApp,
  headers: Headers,
  documentId: string,
  result: 'accepted' | 'rejected' = 'accepted',
): Promise<void> {
  const reviewed = await call(t, 'POST', `/api/v1/documents/${documentId}/review`, headers, {
    result,
    ...(result === 'rejected' ? { note: '照片不清晰，请重新上传' } : {}),
  });
  expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
}

export interface Users {
  ops: Headers;
  risk: Headers;
  admin2: Headers;
  approver1: Headers;
  approver2: Headers;
  support: Headers;
  auditor: Headers;
}

export async function staffUsers(t: TestApp): Promise<Users> {
  return {
    ops: bearer(await t.tokenFor('ops1', 'ops')),
    risk: bearer(await t.tokenFor('risk1', 'risk')),
    admin2: bearer(await t.tokenFor('admin2', 'admin')),
    approver1: bearer(await t.tokenFor('appr1', 'approver')),
    approver2: bearer(await t.tokenFor('appr2', 'approver')),
    support: bearer(await t.tokenFor('support1', 'support')),
    auditor: bearer(await t.tokenFor('auditor1', 'auditor')),
  };
}

export interface ChangeBody {
  id: string;
  merchantNo: string;
  incidentId: string | null;
  status: string;
  requestedBy: string;
  account: { accountNumberMasked: string; accountName: string; accountType: string };
  previousAccount: { accountId: string; accountNumberMasked: string } | null;
  checks: { code: string; result: string; message: { zh: string; en: string } }[];
  highRisk: boolean;
  riskReasons: string[];
  requiredDocuments: string[];
  documentsNeeded: string[];
  documents: { id: string; type: string; status: string }[];
  consent: { channel: string; reference: string | null; recordedBy: string } | null;
  approvals: { by: string; note: string | null }[];
  approvalsNeeded: number;
  rejection: { by: string; reason: string } | null;
  verification: {
    id: string;
    method: string;
    status: string;
    attemptsLeft: number;
    runId: string | null;
    terminalId: string | null;
    amountToKeyFen: number | null;
  } | null;
  completedAt: string | null;
  newAccountId: string | null;
  allowedActions: string[];
  approveBlockedBy: string | null;
}

/** Documents of every needed type, uploaded by `uploader`, accepted by `reviewer`, attached. */
export async function provideDocuments(
  t: TestApp,
  change: ChangeBody,
  uploader: Headers,
  reviewer: Headers,
): Promise<ChangeBody> {
  const ids: string[] = [];
  for (const type of change.documentsNeeded) {
    ids.push(await uploadDocument(t, uploader, change.merchantNo, type));
  }
  for (const id of ids) await reviewDocument(t, reviewer, id);
  const attached = await call<ChangeBody>(
    t,
    'POST',
    `/api/v1/account-changes/${change.id}/documents`,
    uploader,
    { documentIds: ids },
  );
  expect(attached.status, JSON.stringify(attached.body)).toBe(200);
  return attached.body;
}
