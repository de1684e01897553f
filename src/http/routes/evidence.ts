/**
 * Evidence and the case file over HTTP: adding a file (multipart, in this plugin only), the
 * list, one item's content, verification, the case file as JSON or PDF, and the record of its
 * sending. Handlers authenticate, read the request and call the use case.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { readUpload } from '../multipart.js';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { addEvidenceFile } from '../../app/evidence/add-file.js';
import { evidenceContent, listEvidence } from '../../app/evidence/queries.js';
import { verifyIncidentEvidence } from '../../app/evidence/verify.js';
import { bundleForDownload, bundleTar } from '../../app/evidence/export.js';
import { EvidenceStore } from '../../app/evidence/store.js';
import { buildCaseFile, type CaseFile } from '../../app/case-file/build.js';
import { renderCaseFilePdf } from '../../app/case-file/pdf.js';
import { caseFileSubmissions, recordCaseFileSent } from '../../app/case-file/submissions.js';
import { DomainError } from '../../core/errors.js';
import {
  EVIDENCE_FILE_BYTES_MAX,
  EVIDENCE_NOTE_LENGTH_MAX,
  EVIDENCE_PROBLEMS,
} from '../../core/evidence.js';
import {
  CASE_FILE_CHANNELS,
  SENT_REFERENCE_LENGTH_MAX,
  SENT_TO_LENGTH_MAX,
} from '../../core/case-file.js';
import { principalOf } from '../auth.js';
import { Bilingual, errorResponses, ProblemSchema } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const IncidentParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const EvidenceItemSchema = Type.Object(
  {
    id: Type.String(),
    incidentId: Type.String(),
    kind: Type.Union([Type.Literal('snapshot'), Type.Literal('file')], {
      description: 'snapshot: frozen by the system at detection; file: added by a person',
    }),
    sha256: Type.String({ description: 'SHA-256 of the content, hex' }),
    sizeBytes: Type.Integer(),
    mediaType: Type.String({ description: 'Recognised from the content, not as declared' }),
    fileName: Type.String(),
    note: Nullable(Type.String()),
    createdAt: DateTime,
    createdBy: Type.String(),
  },
  { $id: 'EvidenceItem' },
);

const VerdictSchema = Type.Object({
  ok: Type.Boolean(),
  incidentId: Nullable(Type.String()),
  items: Type.Integer({ description: 'Items checked' }),
  auditChain: Type.Object({
    ok: Type.Boolean(),
    entries: Type.Integer(),
    firstBrokenSeq: Type.Optional(Type.Integer()),
    problem: Type.Optional(Type.String()),
  }),
  problems: Type.Array(
    Type.Object({
      code: Type.Enum(EVIDENCE_PROBLEMS),
      evidenceId: Nullable(Type.String()),
      sha256: Nullable(Type.String()),
      message: Type.String(),
    }),
  ),
});

const SubmissionSchema = Type.Object({
  id: Type.String(),
  sentTo: Type.String(),
  channel: Type.Enum(CASE_FILE_CHANNELS),
  reference: Nullable(Type.String()),
  sentAt: DateTime,
  recordedAt: DateTime,
  recordedBy: Type.String(),
});

const Money = Type.Integer({ description: 'fen' });

const CaseFileSchema = Type.Object({
  reference: Type.String({ description: 'SG-<opening date>-<incident id prefix>' }),
  generatedAt: DateTime,
  drill: Type.Boolean(),
  incident: Type.Object({
    id: Type.String(),
    merchantNo: Type.String(),
    status: Type.String(),
    statusName: Bilingual,
    severity: Type.String(),
    title: Bilingual,
    openedAt: DateTime,
    relatedMerchantNos: Type.Array(Type.String()),
  }),
  merchant: Nullable(
    Type.Object({
      merchantNo: Type.String(),
      name: Type.String(),
      type: Type.String(),
      status: Type.String(),
      uscc: Nullable(Type.String()),
      legalPersonName: Type.String(),
      legalPersonIdMasked: Type.String(),
      contactPhoneMasked: Nullable(Type.String()),
      address: Nullable(Type.String()),
    }),
  ),
  terminals: Type.Array(
    Type.Object({
      terminalId: Type.String(),
      merchantNo: Type.String(),
      model: Type.String(),
      serialNumber: Type.String(),
      status: Type.String(),
      suspendedAt: Nullable(DateTime),
    }),
  ),
  accounts: Type.Array(
    Type.Object({
      accountId: Type.String(),
      merchantNo: Type.String(),
      accountNumberMasked: Type.String(),
      accountName: Type.String(),
      accountType: Type.String(),
      bankName: Nullable(Type.String()),
      status: Type.String(),
      validFrom: DateTime,
      validTo: Nullable(DateTime),
    }),
  ),
  alerts: Type.Array(
    Type.Object({
      id: Type.String(),
      rule: Type.String(),
      ruleName: Bilingual,
      severity: Type.String(),
      explanation: Bilingual,
      createdAt: DateTime,
    }),
  ),
  timeline: Type.Array(
    Type.Object({ at: DateTime, kind: Type.String(), actor: Type.String(), text: Bilingual }),
  ),
  timelineTotal: Type.Integer(),
  affected: Type.Object({
    transactionCount: Type.Integer(),
    purchasesFen: Money,
    deductionsFen: Money,
    netFen: Money,
    transactions: Type.Array(
      Type.Object({
        id: Type.String(),
        merchantNo: Type.String(),
        terminalId: Type.String(),
        type: Type.String(),
        status: Type.String(),
        amountFen: Money,
        occurredAt: DateTime,
        panMasked: Nullable(Type.String()),
        rrn: Nullable(Type.String()),
      }),
      { description: 'The first 200' },
    ),
  }),
  held: Type.Object({
    holds: Type.Array(
      Type.Object({
        id: Type.String(),
        reason: Type.String(),
        placedAt: DateTime,
        placedBy: Type.String(),
        releasedAt: Nullable(DateTime),
      }),
    ),
    heldFen: Money,
    returnedFen: Money,
    lineCount: Type.Integer(),
    lines: Type.Array(
      Type.Object({
        id: Type.String(),
        businessDate: Type.String({ format: 'date' }),
        status: Type.String(),
        amountFen: Money,
        accountNumberMasked: Nullable(Type.String()),
        returnCode: Nullable(Type.String()),
      }),
    ),
  }),
  evidence: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      sha256: Type.String(),
      sizeBytes: Type.Integer(),
      mediaType: Type.String(),
      fileName: Type.String(),
      createdAt: DateTime,
      createdBy: Type.String(),
    }),
  ),
  rootCause: Nullable(
    Type.Object({
      category: Type.String(),
      categoryName: Bilingual,
      detail: Type.String(),
      recordedAt: Nullable(DateTime),
    }),
  ),
  requestedActions: Type.Array(
    Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() }),
  ),
  submissions: Type.Array(SubmissionSchema),
});

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266, RFC 8187). */
function attachment(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function evidenceRoutes(
  ctx: AppContext,
  options: { evidenceDir: string | null },
): FastifyPluginAsyncTypebox {
  const store = options.evidenceDir ? new EvidenceStore(options.evidenceDir) : null;
  return async (app) => {
    app.addSchema(EvidenceItemSchema);
    // Only the routes of this plugin accept multipart bodies.
    await app.register(multipart, {
      limits: {
        fileSize: EVIDENCE_FILE_BYTES_MAX,
        files: 1,
        fields: 2,
        parts: 3,
        fieldSize: 16 * 1024,
      },
    });

    app.post(
      '/api/v1/incidents/:id/evidence',
      {
        schema: {
          tags: ['evidence'],
          summary:
            'Add a file to the evidence (admin, risk, ops, support; merchant users to their own merchant’s incidents): multipart with one `file` (PNG, JPEG, GIF, WebP, PDF or UTF-8 text, recognised by content, at most 10 MiB) and an optional `note`. 415 unsupported_media_type, 413 payload_too_large.',
          params: IncidentParams,
          consumes: ['multipart/form-data'],
          body: {
            content: {
              'multipart/form-data': {
                schema: Type.Object({
                  file: Type.String({ format: 'binary' }),
                  note: Type.Optional(Type.String({ maxLength: EVIDENCE_NOTE_LENGTH_MAX })),
                }),
              },
            },
          },
          response: {
            201: Type.Ref('EvidenceItem'),
            413: ProblemSchema,
            415: ProblemSchema,
            503: ProblemSchema,
            ...errorResponses,
          },
        },
        // The body is a stream read by the handler, which checks every part itself.
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { file, text: note } = await readUpload(request, {
          textField: 'note',
          tooLarge: `An evidence file may be at most ${EVIDENCE_FILE_BYTES_MAX} bytes`,
          textTooLong: 'The note is too long',
        });
        if (!file) {
          throw new DomainError('validation_failed', 'A file is required', [
            { path: 'file', code: 'validation_failed', message: 'required', severity: 'error' },
          ]);
        }
        const item = await addEvidenceFile(ctx, store, principal, {
          incidentId: request.params.id,
          bytes: file.bytes,
          fileName: file.fileName,
          note,
        });
        return reply.code(201).send(item);
      },
    );

    app.get(
      '/api/v1/incidents/:id/evidence',
      {
        schema: {
          tags: ['evidence'],
          summary:
            'The incident’s evidence in the order added (merchant users: only what they added)',
          params: IncidentParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('EvidenceItem')) }),
            ...errorResponses,
          },
        },
      },
      async (request) => listEvidence(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/api/v1/incidents/:id/evidence/verify',
      {
        schema: {
          tags: ['evidence'],
          summary:
            'Verify the incident’s evidence (admin, risk, ops, auditor): every file hashes to its SHA-256, every row agrees with its audit entry, and the audit chain verifies; problems are named',
          params: IncidentParams,
          response: { 200: VerdictSchema, 503: ProblemSchema, ...errorResponses },
        },
      },
      async (request) =>
        verifyIncidentEvidence(ctx, store, principalOf(request), request.params.id),
    );

    app.get(
      '/api/v1/incidents/:id/evidence/export',
      {
        schema: {
          tags: ['evidence'],
          summary:
            'The evidence bundle as a tar archive (admin, risk, ops, auditor): files named by hash, manifest.json, README.txt and SHA256SUMS for `sha256sum -c`. Files missing or altered in the store are left out and named in the manifest.',
          params: IncidentParams,
          produces: ['application/x-tar'],
          response: {
            200: Type.String({ format: 'binary' }),
            503: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const bundle = await bundleForDownload(ctx, store, principalOf(request), request.params.id);
        if (!store) throw new Error('unreachable: bundleForDownload checks the store');
        return (
          reply
            .type('application/x-tar')
            .header('content-disposition', attachment(`evidence-${bundle.incidentId}.tar`))
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'no-store')
            // A stream, not the schema's JSON: Fastify pipes it as it is.
            .send(Readable.from(bundleTar(store, bundle, ctx.now())) as unknown as string)
        );
      },
    );

    app.get(
      '/api/v1/incidents/:id/evidence/:evidenceId/content',
      {
        schema: {
          tags: ['evidence'],
          summary:
            'Download one item, checked against its SHA-256 first (staff and auditors; merchant users only what they added). 409 evidence_file_unavailable when the file is missing or altered.',
          params: Type.Object({
            id: Type.String({ maxLength: 64 }),
            evidenceId: Type.String({ maxLength: 64 }),
          }),
          produces: ['application/octet-stream'],
          response: {
            200: Type.String({ format: 'binary' }),
            409: ProblemSchema,
            503: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const { item, bytes } = await evidenceContent(ctx, store, principalOf(request), {
          incidentId: request.params.id,
          evidenceId: request.params.evidenceId,
        });
        return (
          reply
            .type(item.mediaType)
            .header('content-disposition', attachment(item.fileName))
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', "default-src 'none'; sandbox")
            .header('cache-control', 'no-store')
            .header('x-settleguard-sha256', item.sha256)
            // Bytes, not the schema's JSON: Fastify sends a Buffer as it is.
            .send(bytes as unknown as string)
        );
      },
    );

    app.get(
      '/api/v1/incidents/:id/case-file',
      {
        schema: {
          tags: ['case-file'],
          summary:
            'The case file for the bank or payment institution (admin, risk, ops, auditor): JSON, or a Chinese A4 PDF with format=pdf. Masked numbers only.',
          params: IncidentParams,
          querystring: Type.Object({
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('pdf')])),
          }),
          produces: ['application/json', 'application/pdf'],
          response: { 200: CaseFileSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const file = await buildCaseFile(ctx, principalOf(request), request.params.id);
        if (request.query.format !== 'pdf') return file;
        const pdf = await renderCaseFilePdf(file);
        return (
          reply
            .type('application/pdf')
            .header('content-disposition', attachment(`${file.reference}.pdf`))
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'no-store')
            // Bytes, not the schema's JSON: Fastify sends a Buffer as it is.
            .send(pdf as unknown as CaseFile)
        );
      },
    );

    app.post(
      '/api/v1/incidents/:id/case-file/sent',
      {
        schema: {
          tags: ['case-file'],
          summary:
            'Record that the case file was sent (admin, risk, ops): to whom, how, when, and the reference the other side gave; audited and on the timeline',
          params: IncidentParams,
          body: Type.Object({
            sentTo: Type.String({ minLength: 1, maxLength: SENT_TO_LENGTH_MAX }),
            channel: Type.Enum(CASE_FILE_CHANNELS),
            reference: Type.Optional(Type.String({ maxLength: SENT_REFERENCE_LENGTH_MAX })),
            sentAt: Type.Optional(
              Type.String({ format: 'date-time', description: 'Default: now; not in the future' }),
            ),
          }),
          response: { 201: SubmissionSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const submission = await recordCaseFileSent(
          ctx,
          principalOf(request),
          request.params.id,
          request.body,
        );
        return reply.code(201).send(submission);
      },
    );

    app.get(
      '/api/v1/incidents/:id/case-file/submissions',
      {
        schema: {
          tags: ['case-file'],
          summary: 'When and to whom the case file was sent (admin, risk, ops, auditor)',
          params: IncidentParams,
          response: {
            200: Type.Object({ items: Type.Array(SubmissionSchema) }),
            ...errorResponses,
          },
        },
      },
      async (request) => caseFileSubmissions(ctx, principalOf(request), request.params.id),
    );
  };
}
