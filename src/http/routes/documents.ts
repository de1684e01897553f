/**
 * Merchant documents over HTTP: upload (multipart, in this plugin only), a merchant's list, the
 * staff's queue, one document, its file, and the review. Handlers authenticate, read the
 * request and call the use case.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { readUpload } from '../multipart.js';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { documentStore, uploadDocument } from '../../app/documents/upload.js';
import {
  documentFile,
  getDocument,
  listDocuments,
  listMerchantDocuments,
} from '../../app/documents/queries.js';
import { reviewDocument } from '../../app/documents/review.js';
import { DomainError, issue } from '../../core/errors.js';
import {
  COMPARISON_FIELDS,
  COMPARISON_RESULTS,
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_FILE_BYTES_MAX,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  EXPIRING_WITHIN_DAYS_MAX,
  HOLDER_NAME_LENGTH_MAX,
  REVIEW_NOTE_LENGTH_MAX,
  REVIEW_RESULTS,
} from '../../core/documents.js';
import { principalOf } from '../auth.js';
import { Bilingual, Cursor, errorResponses, ListLimit, ProblemSchema } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });
const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

export const DocumentSchema = Type.Object(
  {
    id: Type.String(),
    merchantNo: Type.String(),
    type: literals(DOCUMENT_TYPES),
    sha256: Type.String({ description: 'SHA-256 of the file, hex' }),
    contentType: literals(DOCUMENT_CONTENT_TYPES),
    sizeBytes: Type.Integer(),
    fileName: Type.String(),
    status: literals(DOCUMENT_STATUSES),
    uploadedBy: Type.String({ description: 'For merchant users, staff appear as `acquirer`' }),
    uploadedAt: DateTime,
    review: Nullable(
      Type.Object({
        by: Type.String(),
        at: DateTime,
        note: Nullable(Type.String({ description: 'The reason of a rejection, for the merchant' })),
      }),
    ),
    fields: Type.Object(
      {
        licenseNumber: Type.Optional(Type.String()),
        idNumberMasked: Type.Optional(Type.String()),
        holderName: Type.Optional(Type.String()),
        accountNumberMasked: Type.Optional(Type.String()),
        validFrom: Type.Optional(Day),
        validUntil: Type.Optional(Day),
      },
      { description: 'Read off the document by the reviewer; numbers masked' },
    ),
    comparisons: Type.Array(
      Type.Object({
        field: literals(COMPARISON_FIELDS),
        result: literals(COMPARISON_RESULTS),
        message: Bilingual,
      }),
    ),
    expiresOn: Nullable(Day),
    expired: Type.Boolean({ description: 'expiresOn is before today (China time)' }),
  },
  { $id: 'MerchantDocument' },
);

/** `inline` with an ASCII fallback name and the UTF-8 name (RFC 6266, RFC 8187). */
function inline(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `inline; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const MerchantParams = Type.Object({ merchantNo: Type.String({ maxLength: 32 }) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function documentRoutes(
  ctx: AppContext,
  options: { evidenceDir: string | null },
): FastifyPluginAsyncTypebox {
  const store = documentStore(options.evidenceDir);
  return async (app) => {
    app.addSchema(DocumentSchema);
    // Only the routes of this plugin accept multipart bodies.
    await app.register(multipart, {
      limits: {
        fileSize: DOCUMENT_FILE_BYTES_MAX,
        files: 1,
        fields: 1,
        parts: 2,
        fieldSize: 1024,
      },
    });

    app.post(
      '/api/v1/merchants/:merchantNo/documents',
      {
        schema: {
          tags: ['documents'],
          summary:
            'Upload a document of the merchant (admin, risk, ops, support; merchant users for their own merchants): multipart with `type` and one `file` (PNG, JPEG, WebP or PDF, recognised by content, at most 10 MiB). Audited (hash and type). 415 unsupported_media_type, 413 payload_too_large, 409 document_limit_reached.',
          params: MerchantParams,
          consumes: ['multipart/form-data'],
          body: {
            content: {
              'multipart/form-data': {
                schema: Type.Object({
                  type: literals(DOCUMENT_TYPES),
                  file: Type.String({ format: 'binary' }),
                }),
              },
            },
          },
          response: {
            201: Type.Ref('MerchantDocument'),
            409: ProblemSchema,
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
        const { file, text: type } = await readUpload(request, {
          textField: 'type',
          tooLarge: `A document may be at most ${DOCUMENT_FILE_BYTES_MAX} bytes`,
          textTooLong: 'Unknown document type',
        });
        if (type === null) {
          throw new DomainError('validation_failed', 'The document type is required', [
            issue('type', 'validation_failed', 'required'),
          ]);
        }
        if (!file) {
          throw new DomainError('validation_failed', 'A file is required', [
            issue('file', 'validation_failed', 'required'),
          ]);
        }
        const document = await uploadDocument(ctx, store, principal, {
          merchantNo: request.params.merchantNo,
          type,
          bytes: file.bytes,
          fileName: file.fileName,
        });
        return reply.code(201).send(document);
      },
    );

    app.get(
      '/api/v1/merchants/:merchantNo/documents',
      {
        schema: {
          tags: ['documents'],
          summary:
            'The merchant’s documents in the order uploaded (staff; merchant users their own)',
          params: MerchantParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('MerchantDocument')) }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        listMerchantDocuments(ctx, principalOf(request), request.params.merchantNo),
    );

    app.get(
      '/api/v1/documents',
      {
        schema: {
          tags: ['documents'],
          summary:
            'The documents queue, newest upload first (staff; merchant users only their merchants’): by status, merchant, type, and expiring within N days (expired ones included)',
          querystring: Type.Object({
            status: Type.Optional(literals(DOCUMENT_STATUSES)),
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            type: Type.Optional(literals(DOCUMENT_TYPES)),
            expiringWithinDays: Type.Optional(
              Type.Integer({ minimum: 0, maximum: EXPIRING_WITHIN_DAYS_MAX }),
            ),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Ref('MerchantDocument')),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listDocuments(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/documents/:id',
      {
        schema: {
          tags: ['documents'],
          summary: 'One document (staff; merchant users their own merchants’)',
          params: IdParams,
          response: { 200: Type.Ref('MerchantDocument'), ...errorResponses },
        },
      },
      async (request) => getDocument(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/api/v1/documents/:id/file',
      {
        schema: {
          tags: ['documents'],
          summary:
            'The document’s file, checked against its SHA-256 first (admin, risk, ops, approver; merchant users their own merchants’; never support, auditor or switch). Each reading is audited. 409 evidence_file_unavailable when the file is missing or altered.',
          params: IdParams,
          produces: [...DOCUMENT_CONTENT_TYPES],
          response: {
            200: Type.String({ format: 'binary' }),
            409: ProblemSchema,
            503: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const { document, bytes } = await documentFile(
          ctx,
          store,
          principalOf(request),
          request.params.id,
        );
        // Images are shown under a CSP that runs nothing. A PDF gets none: browsers refuse to
        // open a PDF inline in a sandboxed document, and their viewers isolate it themselves.
        if (document.contentType !== 'application/pdf') {
          void reply.header('content-security-policy', "default-src 'none'; sandbox");
        }
        return (
          reply
            .type(document.contentType)
            .header('content-disposition', inline(document.fileName))
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'no-store')
            .header('x-settleguard-sha256', document.sha256)
            // Bytes, not the schema's JSON: Fastify sends a Buffer as it is.
            .send(bytes as unknown as string)
        );
      },
    );

    app.post(
      '/api/v1/documents/:id/review',
      {
        schema: {
          tags: ['documents'],
          summary:
            'Review a document once (approver, admin): accepted, or rejected with a note the merchant reads (422 note_required). The fields read off it are checked (422 with the identifier codes), compared with the registry and stored masked. 409 already_reviewed.',
          params: IdParams,
          body: Type.Object({
            result: literals(REVIEW_RESULTS),
            note: Type.Optional(Type.String({ maxLength: REVIEW_NOTE_LENGTH_MAX })),
            fields: Type.Optional(
              Type.Object({
                licenseNumber: Type.Optional(Type.String({ maxLength: 40 })),
                idNumber: Type.Optional(Type.String({ maxLength: 40 })),
                holderName: Type.Optional(Type.String({ maxLength: HOLDER_NAME_LENGTH_MAX })),
                accountNumber: Type.Optional(Type.String({ maxLength: 64 })),
                validFrom: Type.Optional(Type.String({ maxLength: 10 })),
                validUntil: Type.Optional(Type.String({ maxLength: 10 })),
              }),
            ),
          }),
          response: { 200: Type.Ref('MerchantDocument'), 409: ProblemSchema, ...errorResponses },
        },
      },
      async (request) => reviewDocument(ctx, principalOf(request), request.params.id, request.body),
    );
  };
}
