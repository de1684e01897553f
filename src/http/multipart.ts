/**
 * Reading an upload: one file in the field `file` and at most one short text field, from a
 * multipart body streamed by @fastify/multipart under the limits its route registered. The
 * plugin's own errors become domain errors with stable codes, so a file too large is 413
 * `payload_too_large` and a malformed body 422 `validation_failed`, the same on every route.
 */
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.js';

export interface Upload {
  file: { bytes: Buffer; fileName: string } | null;
  /** The text field, when sent. */
  text: string | null;
}

export async function readUpload(
  request: FastifyRequest,
  options: {
    /** The one text field taken besides `file` (a note, a document type). */
    textField: string;
    /** What too large means, in the route's words: "A document may be at most … bytes". */
    tooLarge: string;
    /** Said when the text field is over the plugin's field size. */
    textTooLong: string;
  },
): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new DomainError('validation_failed', 'Send multipart/form-data with a file field');
  }
  const onlyFields = `Send the fields file and ${options.textField} only`;
  const errors: Record<string, DomainError> = {
    FST_REQ_FILE_TOO_LARGE: new DomainError('payload_too_large', options.tooLarge),
    FST_FILES_LIMIT: new DomainError('validation_failed', 'Send one file per request'),
    FST_PARTS_LIMIT: new DomainError('validation_failed', onlyFields),
    FST_FIELDS_LIMIT: new DomainError('validation_failed', onlyFields),
    FST_INVALID_MULTIPART_CONTENT_TYPE: new DomainError(
      'validation_failed',
      'Send multipart/form-data with a file field',
    ),
    FST_PROTO_VIOLATION: new DomainError('validation_failed', 'Invalid field name'),
  };
  const upload: Upload = { file: null, text: null };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || upload.file) {
          part.file.resume();
          throw new DomainError('validation_failed', 'Send one file, in the field "file"');
        }
        upload.file = { bytes: await part.toBuffer(), fileName: part.filename };
      } else if (part.fieldname === options.textField) {
        if (part.valueTruncated || typeof part.value !== 'string') {
          throw new DomainError('validation_failed', options.textTooLong);
        }
        upload.text = part.value;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    const known = code ? errors[code] : undefined;
    if (known) throw known;
    throw error;
  }
  return upload;
}
